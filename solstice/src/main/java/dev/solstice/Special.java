package dev.solstice;

import dev.solstice.transform.CustomCalls;
import java.util.function.UnaryOperator;

/**
 * Special functions, as in {@code jax.scipy.special}: elementwise, differentiable to any order with JAX's rules,
 * batched under vmap and staged under jit. Integer and bool operands promote to float64; functions of two
 * operands broadcast and promote as {@link Jnp}'s do.
 *
 * {@snippet lang=java :
 * Special.expit(Array.scalar(0.0)).item()   // 0.5
 * Special.logit(Array.scalar(0.5)).item()   // 0.0
 * }
 */
public final class Special {
    private Special() {}

    private static final double SQRT_2 = Math.sqrt(2);
    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private static Array floating(Array x) {
        return x.dtype().isFloating() ? x : Lax.convert(x, Solstice.defaultFloat());
    }

    private static Array c(Array like, double v) {
        return Lax.fullLike(like, v);
    }

    /**
     * The complementary error function 1 - erf(x), with relative accuracy in the right tail.
     *
     * {@snippet lang=java :
     * Special.erfc(Array.scalar(0.0)).item()   // 1.0
     * Special.erfc(Array.scalar(10.0)).item()  // 2.088487583762545E-45
     * }
     *
     * @param x an array
     * @return erfc(x)
     */
    public static Array erfc(Array x) {
        return Lax.erfc(floating(x));
    }

    /**
     * log|Γ(x)|, +inf at the non-positive integers (the poles), as JAX's {@code gammaln}.
     *
     * {@snippet lang=java :
     * Special.gammaln(Array.scalar(0.5)).item()   // 0.5723649429247001
     * Special.gammaln(Array.scalar(-2.0)).item()  // Infinity
     * }
     *
     * @param x an array
     * @return log|Γ(x)|; derivative digamma(x)
     */
    public static Array gammaln(Array x) {
        return Lax.lgamma(floating(x));
    }

    /**
     * The digamma function d/dx log Γ(x), NaN at the non-positive integers (XLA's convention, which JAX follows).
     *
     * {@snippet lang=java :
     * Special.digamma(Array.scalar(1.0)).item()   // -0.5772156649015329
     * }
     *
     * @param x an array
     * @return ψ(x); derivative the trigamma function {@code Lax.polygamma(1, x)}
     */
    public static Array digamma(Array x) {
        return Lax.digamma(floating(x));
    }

    /**
     * log|B(a, b)| = log|Γ(a)| + log|Γ(b)| - log|Γ(a + b)|, as JAX's {@code betaln}: with a ≤ b arranged, for b ≥ 8
     * the difference log Γ(b) - log Γ(a + b) is taken from Stirling's series in closed form, so that it does not
     * cancel when b is large.
     *
     * {@snippet lang=java :
     * Special.betaln(Array.scalar(1.0), Array.scalar(2.0)).item()   // -0.6931471805599453
     * }
     *
     * @param a an array
     * @param b an array, broadcast against {@code a}
     * @return log B(a, b)
     */
    public static Array betaln(Array a, Array b) {
        Array[] ab = Jnp.broadcastFloating("betaln", a, b);
        Array lo = Lax.min(ab[0], ab[1]);
        Array hi = Lax.max(ab[0], ab[1]);
        Array lgammaLo = Lax.lgamma(lo);
        Array small = Lax.add(lgammaLo, Lax.sub(Lax.lgamma(hi), Lax.lgamma(Lax.add(lo, hi))));
        // for hi >= 8: log Γ(hi) - log Γ(lo + hi) = -(hi - 1/2) log1p(lo/hi) - lo log(lo + hi) + lo + s(hi) - s(lo + hi)
        Array large8 = Lax.max(hi, c(hi, 8)); // keeps the unused branch finite
        Array sum = Lax.add(lo, large8);
        Array difference = Lax.add(Lax.sub(Lax.sub(Lax.neg(Lax.mul(Lax.sub(large8, c(hi, 0.5)), Lax.log1p(Lax.div(lo, large8)))),
                Lax.mul(lo, Lax.log(sum))), Lax.neg(lo)), Lax.sub(stirlingCorrection(large8), stirlingCorrection(sum)));
        Array large = Lax.add(lgammaLo, difference);
        return Lax.select(Lax.lt(hi, c(hi, 8)), small, large);
    }

    /** log Γ(x) - ((x - 1/2) log x - x + log(2π)/2) by Stirling's series, to double precision for x ≥ 8. */
    private static Array stirlingCorrection(Array x) {
        double[] coefficients = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156,
            -3617.0 / 122400};
        Array inv = Lax.div(c(x, 1), x);
        Array inv2 = Lax.mul(inv, inv);
        Array series = c(x, coefficients[coefficients.length - 1]);
        for (int k = coefficients.length - 2; k >= 0; k--) {
            series = Lax.add(Lax.mul(series, inv2), c(x, coefficients[k]));
        }
        return Lax.mul(series, inv);
    }

    /**
     * x log(y), with 0 wherever x = 0 (even for y = 0), as JAX's {@code xlogy}. Its derivative is JAX's custom
     * rule: {@code dx log(y) + dy x / y}, so at x = 0 the x-derivative is log(y) (-inf at y = 0) and the
     * y-derivative 0 for y ≠ 0 (NaN at y = 0).
     *
     * {@snippet lang=java :
     * Special.xlogy(Array.scalar(0.0), Array.scalar(0.0)).item()   // 0.0
     * Special.xlogy(Array.scalar(2.0), Array.scalar(Math.E)).item()   // 2.0
     * }
     *
     * @param x an array
     * @param y an array, broadcast against {@code x}
     * @return x log(y)
     */
    public static Array xlogy(Array x, Array y) {
        Array[] a = Jnp.broadcastFloating("xlogy", x, y);
        return CustomCalls.customJvp(in -> new Array[] {timesLogOr0(in[0], Lax.log(in[1]))},
                (p, t) -> new Array[][] {{xlogy(p[0], p[1])},
                    {Lax.add(Lax.mul(t[0], Lax.log(p[1])), Lax.div(Lax.mul(t[1], p[0]), p[1]))}}, a)[0];
    }

    /**
     * x log(1 + y), with 0 wherever x = 0 (even for y = -1), as JAX's {@code xlog1py}; derivative (JAX's custom
     * rule) {@code dx log1p(y) + dy x / (1 + y)}.
     *
     * {@snippet lang=java :
     * Special.xlog1py(Array.scalar(0.0), Array.scalar(-1.0)).item()   // 0.0
     * Special.xlog1py(Array.scalar(3.0), Array.scalar(0.0)).item()    // 0.0
     * }
     *
     * @param x an array
     * @param y an array, broadcast against {@code x}
     * @return x log1p(y)
     */
    public static Array xlog1py(Array x, Array y) {
        Array[] a = Jnp.broadcastFloating("xlog1py", x, y);
        return CustomCalls.customJvp(in -> new Array[] {timesLogOr0(in[0], Lax.log1p(in[1]))},
                (p, t) -> new Array[][] {{xlog1py(p[0], p[1])},
                    {Lax.add(Lax.mul(t[0], Lax.log1p(p[1])), Lax.div(Lax.mul(t[1], p[0]), Lax.add(c(p[1], 1), p[1])))}}, a)[0];
    }

    /** x * logValue where x ≠ 0, else 0 (the product is never formed where x = 0, so no 0 * inf). */
    private static Array timesLogOr0(Array x, Array logValue) {
        Array zero = c(x, 0);
        Array nonzero = Lax.ne(x, zero);
        return Lax.select(nonzero, Lax.mul(x, Lax.select(nonzero, logValue, zero)), zero);
    }

    private static final UnaryOperator<Array> LOGIT = Jax.customJvp(
            x -> Lax.log(Lax.div(x, Lax.sub(c(x, 1), x))),
            (x, t) -> new JvpResult<>(Special.logit(x), Lax.div(t, Lax.mul(x, Lax.sub(c(x, 1), x)))));

    /**
     * The log-odds log(p / (1 - p)), the inverse of {@link #expit}; ±inf at 1 and 0, NaN outside [0, 1].
     * Derivative JAX's custom rule 1 / (p (1 - p)).
     *
     * {@snippet lang=java :
     * Special.logit(Array.scalar(0.5)).item()   // 0.0
     * }
     *
     * @param p an array
     * @return logit(p)
     */
    public static Array logit(Array p) {
        return LOGIT.apply(floating(p));
    }

    /**
     * The logistic sigmoid 1 / (1 + e^-x) ({@code lax.logistic}).
     *
     * {@snippet lang=java :
     * Special.expit(Array.scalar(0.0)).item()   // 0.5
     * }
     *
     * @param x an array
     * @return expit(x)
     */
    public static Array expit(Array x) {
        return Lax.logistic(floating(x));
    }

    /**
     * The standard normal distribution function Φ(x), from erf near 0 and from erfc in both tails (JAX's
     * {@code ndtr}), so that Φ keeps its relative accuracy in the left tail.
     *
     * {@snippet lang=java :
     * Special.ndtr(Array.scalar(0.0)).item()     // 0.5
     * Special.ndtr(Array.scalar(-10.0)).item()   // 7.619853024160525E-24
     * }
     *
     * @param x an array
     * @return Φ(x)
     */
    public static Array ndtr(Array x) {
        Array f = floating(x);
        double halfSqrt2 = SQRT_2 / 2;
        Array w = Lax.mul(f, c(f, halfSqrt2));
        Array z = Lax.abs(w);
        Array tails = Lax.select(Lax.gt(w, c(f, 0)), Lax.sub(c(f, 2), Lax.erfc(z)), Lax.erfc(z));
        Array y = Lax.select(Lax.lt(z, c(f, halfSqrt2)), Lax.add(c(f, 1), Lax.erf(w)), tails);
        return Lax.mul(c(f, 0.5), y);
    }

    private static final UnaryOperator<Array> NDTRI = Jax.customJvp(Special::ndtriValue,
            (p, t) -> {
                Array y = Special.ndtri(p);
                return new JvpResult<>(y, Lax.mul(t, Lax.mul(c(y, SQRT_2PI), Lax.exp(Lax.mul(c(y, 0.5), Lax.mul(y, y))))));
            });

    /**
     * The inverse of {@link #ndtr}: the x with Φ(x) = p; -inf at 0, +inf at 1, NaN outside [0, 1]. Computed by
     * Acklam's rational approximation (relative error about 1e-9) and one Halley step on Φ (through erfc, so
     * accurate deep in both tails). Derivative sqrt(2π) exp(x²/2).
     *
     * {@snippet lang=java :
     * Special.ndtri(Array.scalar(0.5)).item()     // 0.0
     * Special.ndtri(Array.scalar(0.975)).item()   // 1.9599639845400538
     * }
     *
     * @param p an array of probabilities
     * @return Φ^-1(p)
     */
    public static Array ndtri(Array p) {
        return NDTRI.apply(floating(p));
    }

    private static final double[] ACKLAM_A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] ACKLAM_B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01, 1};
    private static final double[] ACKLAM_C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] ACKLAM_D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00, 1};

    private static Array ndtriValue(Array p) {
        double pLow = 0.02425;
        Array one = c(p, 1);
        // the three regions, each evaluated everywhere (with its logarithm's argument kept positive) and selected
        Array q = Lax.sub(p, c(p, 0.5));
        Array r = Lax.mul(q, q);
        Array central = Lax.div(Lax.mul(polynomial(r, ACKLAM_A), q), polynomial(r, ACKLAM_B));
        Array tailP = Lax.min(p, Lax.sub(one, p)); // the smaller tail probability
        Array safeTail = Lax.select(Lax.gt(tailP, c(p, 0)), tailP, c(p, 0.5));
        Array s = Lax.sqrt(Lax.mul(c(p, -2), Lax.log(safeTail)));
        Array lowerTail = Lax.div(polynomial(s, ACKLAM_C), polynomial(s, ACKLAM_D)); // negative
        Array tail = Lax.select(Lax.lt(p, c(p, 0.5)), lowerTail, Lax.neg(lowerTail));
        Array x = Lax.select(Lax.lt(tailP, c(p, pLow)), tail, central);
        // one Halley step on Φ(x) - p; the error computed in the tail where x lies, where it has no cancellation
        Array upperTail = Lax.mul(c(p, 0.5), Lax.erfc(Lax.mul(x, c(p, 1 / SQRT_2)))); // 1 - Φ(x)
        Array lower = Lax.mul(c(p, 0.5), Lax.erfc(Lax.mul(x, c(p, -1 / SQRT_2)))); // Φ(x)
        Array e = Lax.select(Lax.gt(x, c(p, 0)), Lax.sub(Lax.sub(one, p), upperTail), Lax.sub(lower, p));
        Array u = Lax.mul(Lax.mul(e, c(p, SQRT_2PI)), Lax.exp(Lax.mul(c(p, 0.5), Lax.mul(x, x))));
        Array refined = Lax.sub(x, Lax.div(u, Lax.add(one, Lax.mul(Lax.mul(x, u), c(p, 0.5)))));
        Array inf = c(p, Double.POSITIVE_INFINITY);
        Array edges = Lax.select(Lax.eq(p, c(p, 0)), Lax.neg(inf), Lax.select(Lax.eq(p, one), inf, c(p, Double.NaN)));
        Array inside = Lax.and(Lax.gt(p, c(p, 0)), Lax.lt(p, one));
        return Lax.select(inside, refined, edges);
    }

    /** Horner's rule, coefficients from the highest power down. */
    private static Array polynomial(Array x, double[] coefficients) {
        Array acc = c(x, coefficients[0]);
        for (int i = 1; i < coefficients.length; i++) {
            acc = Lax.add(Lax.mul(acc, x), c(x, coefficients[i]));
        }
        return acc;
    }

    private static final UnaryOperator<Array> LOG_NDTR = Jax.customJvp(Special::logNdtrValue,
            (x, t) -> {
                Array y = Special.logNdtr(x);
                Array logPdf = Lax.sub(Lax.mul(c(x, -0.5), Lax.mul(x, x)), c(x, HALF_LOG_2PI));
                // in the far left tail φ/Φ = -x / series(x) exactly, where log φ - log Φ would cancel
                Array lower = lowerSegment(x);
                Array tail = Lax.div(Lax.neg(x), asymptoticSeries(Lax.min(x, lower), seriesOrder(x)));
                Array ratio = Lax.select(Lax.le(x, lower), tail, Lax.exp(Lax.sub(logPdf, y)));
                return new JvpResult<>(y, Lax.mul(t, ratio));
            });

    private static Array lowerSegment(Array x) {
        return c(x, x.dtype() == DType.FLOAT32 ? -10 : -20);
    }

    private static int seriesOrder(Array x) {
        return x.dtype() == DType.FLOAT32 ? 6 : 12;
    }

    /**
     * log Φ(x), accurate everywhere (JAX's {@code log_ndtr}): -Φ(-x) above 8 (5 in float32), log Φ(x) through
     * erfc in the middle (as log1p(-Φ(-x)) for x > 0, more accurate than JAX's log Φ(x) there), and in the far left tail (below -20, -10 in float32) the asymptotic series
     * log Φ(x) = -x²/2 - log(-x) - log(2π)/2 + log(1 - 1/x² + 3/x⁴ - ...), taken to 12 terms (JAX takes 3) so that
     * it is accurate to double precision there. Derivative JAX's rule exp(log φ(x) - log Φ(x)), which has no
     * 0/0 in the tail; in the far left tail the same ratio as -x / (the series), which does not cancel.
     *
     * {@snippet lang=java :
     * Special.logNdtr(Array.scalar(0.0)).item()      // -0.6931471805599453
     * Special.logNdtr(Array.scalar(-40.0)).item()    // -804.6084420137538
     * }
     *
     * @param x an array
     * @return log Φ(x)
     */
    public static Array logNdtr(Array x) {
        return LOG_NDTR.apply(floating(x));
    }

    private static Array logNdtrValue(Array x) {
        Array lowerSegment = lowerSegment(x);
        Array upperSegment = c(x, x.dtype() == DType.FLOAT32 ? 5 : 8);
        Array right = Lax.neg(ndtr(Lax.neg(x)));
        // log Φ(x) = log1p(-Φ(-x)) for x > 0, where Φ(x) is close to 1 and its log would cancel (JAX takes the log)
        Array middleLeft = Lax.log(ndtr(Lax.max(x, lowerSegment)));
        Array middleRight = Lax.log1p(Lax.neg(ndtr(Lax.neg(Lax.max(x, c(x, 0))))));
        Array middle = Lax.select(Lax.gt(x, c(x, 0)), middleRight, middleLeft);
        Array left = logNdtrLower(Lax.min(x, lowerSegment), seriesOrder(x));
        return Lax.select(Lax.gt(x, upperSegment), right, Lax.select(Lax.gt(x, lowerSegment), middle, left));
    }

    /** The asymptotic series of log Φ(x) for x ≤ -10, to {@code order} terms. */
    private static Array logNdtrLower(Array x, int order) {
        Array logScale = Lax.sub(Lax.sub(Lax.mul(c(x, -0.5), Lax.mul(x, x)), Lax.log(Lax.neg(x))), c(x, HALF_LOG_2PI));
        return Lax.add(logScale, Lax.log(asymptoticSeries(x, order)));
    }

    /** 1 + Σ_{n=1..order} (-1)^n (2n-1)!! / x^(2n), so that Φ(x) = φ(x) / (-x) * series for x → -inf. */
    private static Array asymptoticSeries(Array x, int order) {
        double[] terms = new double[order + 1];
        double doubleFactorial = 1;
        for (int n = 1; n <= order; n++) {
            doubleFactorial *= 2 * n - 1;
            terms[n] = (n % 2 == 1 ? -1 : 1) * doubleFactorial;
        }
        Array inv2 = Lax.div(c(x, 1), Lax.mul(x, x));
        Array series = c(x, terms[order]);
        for (int n = order - 1; n >= 1; n--) {
            series = Lax.add(Lax.mul(series, inv2), c(x, terms[n]));
        }
        return Lax.add(c(x, 1), Lax.mul(series, inv2));
    }

    /**
     * The exponentially scaled modified Bessel function of order 0, e^-|x| I0(x) ({@code lax.bessel_i0e}).
     *
     * {@snippet lang=java :
     * Special.i0e(Array.scalar(0.0)).item()   // 1.0
     * Special.i0e(Array.scalar(1.0)).item()   // 0.46575960759364043
     * }
     *
     * @param x an array
     * @return i0e(x)
     */
    public static Array i0e(Array x) {
        return Lax.besselI0e(floating(x));
    }

    /**
     * The exponentially scaled modified Bessel function of order 1, e^-|x| I1(x) ({@code lax.bessel_i1e}).
     *
     * {@snippet lang=java :
     * Special.i1e(Array.scalar(1.0)).item()   // 0.20791041534970844
     * }
     *
     * @param x an array
     * @return i1e(x)
     */
    public static Array i1e(Array x) {
        return Lax.besselI1e(floating(x));
    }
}
