package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.prim.Abs;
import dev.solstice.prim.Add;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.Ceil;
import dev.solstice.prim.Cholesky;
import dev.solstice.prim.Eigh;
import dev.solstice.prim.Concatenate;
import dev.solstice.prim.ConvGeneralDilated;
import dev.solstice.prim.ConvertElementType;
import dev.solstice.prim.Cos;
import dev.solstice.prim.CumMax;
import dev.solstice.prim.CumMin;
import dev.solstice.prim.CumProd;
import dev.solstice.prim.CumSum;
import dev.solstice.prim.Digamma;
import dev.solstice.prim.Div;
import dev.solstice.prim.DotGeneral;
import dev.solstice.prim.DynamicSlice;
import dev.solstice.prim.DynamicUpdateSlice;
import dev.solstice.prim.Erf;
import dev.solstice.prim.ErrorIf;
import dev.solstice.prim.Exp;
import dev.solstice.prim.ExpandDims;
import dev.solstice.prim.Expm1;
import dev.solstice.prim.Floor;
import dev.solstice.prim.Gather;
import dev.solstice.prim.IntegerPow;
import dev.solstice.prim.Lgamma;
import dev.solstice.prim.Log;
import dev.solstice.prim.Log1p;
import dev.solstice.prim.Logistic;
import dev.solstice.prim.MatrixOps;
import dev.solstice.prim.Max;
import dev.solstice.prim.Min;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Neg;
import dev.solstice.prim.Ops;
import dev.solstice.prim.Pad;
import dev.solstice.prim.Polygamma;
import dev.solstice.prim.Pow;
import dev.solstice.prim.Psum;
import dev.solstice.prim.ReduceMax;
import dev.solstice.prim.ReduceMin;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.ReduceWindowMax;
import dev.solstice.prim.ReduceWindowSum;
import dev.solstice.prim.Reshape;
import dev.solstice.prim.Rev;
import dev.solstice.prim.Round;
import dev.solstice.prim.Rsqrt;
import dev.solstice.prim.ScatterAdd;
import dev.solstice.prim.Select;
import dev.solstice.prim.Sign;
import dev.solstice.prim.Sin;
import dev.solstice.prim.Slice;
import dev.solstice.prim.Sort;
import dev.solstice.prim.Sqrt;
import dev.solstice.prim.Squeeze;
import dev.solstice.prim.StopGradient;
import dev.solstice.prim.Sub;
import dev.solstice.prim.Tan;
import dev.solstice.prim.Tanh;
import dev.solstice.prim.TopK;
import dev.solstice.prim.Transpose;
import dev.solstice.prim.TriangularSolve;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The Taylor-mode rules of {@link JetInterpreter}, one per primitive, all in this file.
 *
 * <p>A series here is an array {@code c} of normalised Taylor coefficients: {@code c[0]} the primal, {@code c[k]}
 * the k-th derivative along the path divided by k! (the public API's derivative convention is converted at the
 * boundary, {@link TaylorMode}). In these coefficients products are Cauchy products, and every smooth unary
 * function {@code y = f(x)} follows from {@code y' = f'(x) x'}: {@code y[k] = (1/k) sum_{j=1..k} j x[j] w[k-j]}
 * with {@code w} the series of {@code f'(x)} (the classic recurrences of automatic differentiation).
 *
 * <p>Two families need no algebra of their own: a primitive that is linear in its varying operands maps each
 * coefficient by its JVP rule (the JVP of a linear map is the map), and so does a piecewise-linear one (abs, max,
 * select, reduce_max, ...): off its kinks it is linear with the branch fixed by the primals, so every coefficient
 * follows the selected branch. Any other primitive (cosh, atan2, cumlogsumexp, the factorisations, ...)
 * follows from its JVP rule ({@link JetFromJvp}).
 */
final class JetRules {
    private JetRules() {}

    /** The series of every output ({@code [i][0]} its primal) from the operands' primals and series. */
    @FunctionalInterface
    interface Rule {
        /**
         * @param coeffs one series per operand ({@code order + 1} arrays), {@code null} for a constant operand;
         *     at least one is not null
         */
        Array[][] apply(Primitive p, Array[] primals, Array[][] coeffs, int order);
    }

    private static final Rule LINEAR = JetRules::linear;
    private static final Rule BILINEAR = JetRules::bilinear;

    private static final Map<Class<? extends Primitive>, Rule> RULES = Map.ofEntries(
            // linear and structural
            Map.entry(Add.class, LINEAR), Map.entry(Sub.class, LINEAR), Map.entry(Neg.class, LINEAR),
            Map.entry(ConvertElementType.class, LINEAR), Map.entry(Reshape.class, LINEAR),
            Map.entry(Transpose.class, LINEAR), Map.entry(BroadcastInDim.class, LINEAR),
            Map.entry(Squeeze.class, LINEAR), Map.entry(ExpandDims.class, LINEAR), Map.entry(Slice.class, LINEAR),
            Map.entry(Pad.class, LINEAR), Map.entry(Concatenate.class, LINEAR), Map.entry(Rev.class, LINEAR),
            Map.entry(ReduceSum.class, LINEAR), Map.entry(CumSum.class, LINEAR),
            Map.entry(ReduceWindowSum.class, LINEAR), Map.entry(DynamicSlice.class, LINEAR),
            Map.entry(DynamicUpdateSlice.class, LINEAR), Map.entry(Gather.class, LINEAR),
            Map.entry(ScatterAdd.class, LINEAR), Map.entry(Psum.class, LINEAR),
            Map.entry(CheckpointName.class, LINEAR), Map.entry(ErrorIf.class, LINEAR),
            // piecewise linear: the series follow the branch the primals select
            Map.entry(Select.class, LINEAR), Map.entry(Abs.class, LINEAR), Map.entry(Sign.class, LINEAR),
            Map.entry(Max.class, LINEAR), Map.entry(Min.class, LINEAR), Map.entry(ReduceMax.class, LINEAR),
            Map.entry(ReduceMin.class, LINEAR), Map.entry(ReduceWindowMax.class, LINEAR),
            Map.entry(Floor.class, LINEAR), Map.entry(Ceil.class, LINEAR), Map.entry(Round.class, LINEAR),
            Map.entry(StopGradient.class, LINEAR), Map.entry(CumMax.class, LINEAR), Map.entry(CumMin.class, LINEAR),
            // a permutation fixed by the primal keys: every coefficient is permuted like the primal
            Map.entry(Sort.class, LINEAR), Map.entry(TopK.class, LINEAR),
            // bilinear
            Map.entry(Mul.class, BILINEAR), Map.entry(DotGeneral.class, BILINEAR),
            Map.entry(ConvGeneralDilated.class, BILINEAR),
            // nonlinear
            Map.entry(Div.class, JetRules::div),
            Map.entry(TriangularSolve.class, JetRules::triangularSolve),
            Map.entry(Cholesky.class, JetRules::cholesky),
            Map.entry(Eigh.class, JetRules::eigh),
            Map.entry(Exp.class, unary(JetRules::exp)),
            Map.entry(Expm1.class, unary(JetRules::expm1)),
            Map.entry(Log.class, unary(x -> logOfShifted(x, 0))),
            Map.entry(Log1p.class, unary(x -> logOfShifted(x, 1))),
            Map.entry(Sin.class, unary(x -> sinCos(x)[0])),
            Map.entry(Cos.class, unary(x -> sinCos(x)[1])),
            Map.entry(Tan.class, unary(JetRules::tan)),
            Map.entry(Tanh.class, unary(JetRules::tanh)),
            Map.entry(Logistic.class, unary(JetRules::logistic)),
            Map.entry(Sqrt.class, unary(JetRules::sqrt)),
            Map.entry(Rsqrt.class, unary(x -> powConstant(x, Ops.rsqrt(x[0]), Ops.fullLike(x[0], -0.5)))),
            Map.entry(IntegerPow.class, (p, primals, c, order) ->
                    new Array[][] {integerPow(c[0], ((IntegerPow) p).n())}),
            Map.entry(Pow.class, JetRules::pow),
            Map.entry(CumProd.class, JetRules::cumprod),
            Map.entry(Erf.class, unary(JetRules::erf)),
            // every derivative of these is a polygamma: composed from derivative values, not a chain of JVP rules
            Map.entry(Lgamma.class, unary(x -> fromDerivatives(x, j -> j == 0
                    ? Interpreters.bind1(new Lgamma(), x[0]) : polygamma(j - 1, x[0])))),
            Map.entry(Digamma.class, unary(x -> fromDerivatives(x, j -> polygamma(j, x[0])))),
            Map.entry(Polygamma.class, (p, primals, c, order) -> new Array[][] {
                    fromDerivatives(c[0], j -> polygamma(((Polygamma) p).m() + j, c[0][0]))}));

    /**
     * The rule of {@code p}, or {@code null} if it has none: any primitive without a rule here that has a JVP rule
     * gets the rule derived from it ({@link JetFromJvp}).
     */
    static Rule ruleFor(Primitive p) {
        Rule rule = RULES.get(p.getClass());
        return rule == null && JetFromJvp.applies(p) ? JetFromJvp::rule : rule;
    }

    private interface SeriesFunction {
        Array[] apply(Array[] x);
    }

    private static Rule unary(SeriesFunction f) {
        return (p, primals, c, order) -> new Array[][] {f.apply(c[0])};
    }

    // ---- linear and bilinear ------------------------------------------------------------------------------------

    /** Each coefficient through the JVP rule, with a zero tangent for each constant operand. */
    private static Array[][] linear(Primitive p, Array[] primals, Array[][] c, int order) {
        Array[] outs = Interpreters.bind(p, primals);
        Array[][] result = new Array[outs.length][order + 1];
        for (int i = 0; i < outs.length; i++) {
            result[i][0] = outs[i];
        }
        for (int k = 1; k <= order; k++) {
            Array[] tangents = new Array[primals.length];
            for (int i = 0; i < primals.length; i++) {
                tangents[i] = c[i] == null || !primals[i].dtype().isFloating() ? Zero.like(primals[i]) : c[i][k];
            }
            Array[] t = p.jvp(primals, outs, tangents);
            for (int i = 0; i < outs.length; i++) {
                result[i][k] = Zero.instantiate(t[i]);
            }
        }
        return result;
    }

    /** A product (mul, dot_general, conv): linear when one side is constant, else the Cauchy product. */
    private static Array[][] bilinear(Primitive p, Array[] primals, Array[][] c, int order) {
        if (c[0] == null || c[1] == null) {
            return linear(p, primals, c, order);
        }
        return new Array[][] {cauchy(c[0], c[1], (a, b) -> Interpreters.bind1(p, a, b))};
    }

    private interface Product {
        Array apply(Array a, Array b);
    }

    /** {@code z[k] = sum_{j=0..k} a[j] * b[k-j]}. */
    private static Array[] cauchy(Array[] a, Array[] b, Product times) {
        Array[] z = new Array[a.length];
        for (int k = 0; k < a.length; k++) {
            Array sum = times.apply(a[0], b[k]);
            for (int j = 1; j <= k; j++) {
                sum = Ops.add(sum, times.apply(a[j], b[k - j]));
            }
            z[k] = sum;
        }
        return z;
    }

    private static Array[] mulSeries(Array[] a, Array[] b) {
        return cauchy(a, b, Ops::mul);
    }

    // ---- nonlinear ----------------------------------------------------------------------------------------------

    /** {@code z = x / y}: from {@code z y = x}, {@code z[k] = (x[k] - sum_{j=1..k} y[j] z[k-j]) / y[0]}. */
    private static Array[][] div(Primitive p, Array[] primals, Array[][] c, int order) {
        if (c[1] == null) {
            return linear(p, primals, c, order); // linear in the numerator
        }
        Array[] x = c[0] == null ? constant(primals[0], order) : c[0];
        return new Array[][] {divSeries(x, c[1])};
    }

    private static Array[] divSeries(Array[] x, Array[] y) {
        Array[] z = new Array[x.length];
        z[0] = Ops.div(x[0], y[0]);
        for (int k = 1; k < x.length; k++) {
            Array acc = x[k];
            for (int j = 1; j <= k; j++) {
                acc = Ops.sub(acc, Ops.mul(y[j], z[k - j]));
            }
            z[k] = Ops.div(acc, y[0]);
        }
        return z;
    }

    /**
     * {@code x = op(a)⁻¹ b} (or {@code b op(a)⁻¹}): from {@code op(a) x = b},
     * {@code x[k] = op(a[0])⁻¹ (b[k] - sum_{j=1..k} op(a[j]) x[k-j])}: each term is the JVP rule at {@code a[0]}
     * with output {@code x[k-j]} and tangents {@code (a[j], b[k] or 0)}, so the rule's masking (the triangle read,
     * the unit diagonal) applies. A closed form, not {@link JetFromJvp}: the JVP rule solves with {@code a} again.
     */
    private static Array[][] triangularSolve(Primitive p, Array[] primals, Array[][] c, int order) {
        if (c[0] == null) {
            return linear(p, primals, c, order); // linear in b
        }
        Array noB = Zero.like(primals[1]);
        Array[] x = new Array[order + 1];
        x[0] = Interpreters.bind1(p, primals);
        for (int k = 1; k <= order; k++) {
            Array bk = c[1] == null ? noB : c[1][k];
            Array acc = p.jvp(primals, new Array[] {x[0]}, new Array[] {c[0][k], bk})[0];
            for (int j = 1; j < k; j++) {
                acc = Ops.add(acc, p.jvp(primals, new Array[] {x[k - j]}, new Array[] {c[0][j], noB})[0]);
            }
            x[k] = acc;
        }
        return new Array[][] {x};
    }

    /**
     * {@code L = cholesky(A)}: from {@code A = L Lᵀ}, {@code L[0] L[k]ᵀ + L[k] L[0]ᵀ = A[k] - sum_{j=1..k-1} L[j] L[k-j]ᵀ},
     * the equation the JVP rule solves for a tangent {@code dA}; so {@code L[k]} is the rule's tangent for that
     * right-hand side (symmetric, as the primitive reads {@code A}). One JVP per order, where {@link JetFromJvp}
     * would take a jet of it.
     */
    private static Array[][] cholesky(Primitive p, Array[] primals, Array[][] c, int order) {
        Array[] l = new Array[order + 1];
        l[0] = Interpreters.bind1(p, primals);
        Array[] outs = {l[0]};
        for (int k = 1; k <= order; k++) {
            Array rhs = c[0][k];
            for (int j = 1; j < k; j++) {
                rhs = Ops.sub(rhs, MatrixOps.matmul(l[j], MatrixOps.swapLast(l[k - j])));
            }
            l[k] = Zero.instantiate(p.jvp(primals, outs, new Array[] {rhs})[0]);
        }
        return new Array[][] {l};
    }

    /**
     * {@code (v, w) = eigh(A)} (or {@code w} alone): in the basis of the eigenvectors {@code v0}, with
     * {@code Â[k] = v0ᵀ A[k] v0} ({@code A[k]} the symmetric matrix of its lower triangle, as the primitive reads
     * it) and {@code v = v0 U}, the equation {@code Â U = U diag(w)} at order {@code k} gives {@code w[k] =
     * diag(R[k])} and {@code U[k]_ij = R[k]_ij / (w0_j - w0_i)} off the diagonal, where {@code R[k] = Â[k] +
     * sum_{j=1..k-1} (Â[j] U[k-j] - U[j] diag(w[k-j]))}; orthogonality ({@code sum_j U[j]ᵀ U[k-j] = 0}) gives the
     * diagonal, {@code U[k]_ii = -1/2 (sum_{j=1..k-1} U[j]ᵀ U[k-j])_ii}. The first order is the JVP rule's
     * (distinct eigenvalues); O(k²) products where the JVP-derived rule takes O(k³).
     */
    private static Array[][] eigh(Primitive p, Array[] primals, Array[][] c, int order) {
        Array[] vw = Interpreters.bind(new Eigh(true), primals);
        Array v0 = vw[0];
        int[] shape = v0.shape();
        Array v0t = MatrixOps.swapLast(v0);
        Array gaps = Eigh.inverseGaps(vw[1], shape);
        Array eye = MatrixOps.eyeLike(v0);
        Array[] hat = new Array[order + 1];
        for (int k = 1; k <= order; k++) {
            Array a = c[0][k];
            Array sym = Ops.add(MatrixOps.tril(a, 0), MatrixOps.swapLast(MatrixOps.tril(a, -1)));
            hat[k] = MatrixOps.matmul(MatrixOps.matmul(v0t, sym), v0);
        }
        Array[] u = new Array[order + 1];
        Array[] w = new Array[order + 1];
        Array[] v = new Array[order + 1];
        w[0] = vw[1];
        v[0] = v0;
        for (int k = 1; k <= order; k++) {
            Array r = hat[k];
            Array orthogonality = null;
            for (int j = 1; j < k; j++) {
                r = Ops.add(r, Ops.sub(MatrixOps.matmul(hat[j], u[k - j]), Ops.mul(u[j], Eigh.asRows(w[k - j], shape))));
                Array t = MatrixOps.matmul(MatrixOps.swapLast(u[j]), u[k - j]);
                orthogonality = orthogonality == null ? t : Ops.add(orthogonality, t);
            }
            w[k] = MatrixOps.diagonal(r);
            u[k] = Ops.mul(gaps, r);
            if (orthogonality != null) {
                u[k] = Ops.add(u[k], scale(Ops.mul(eye, orthogonality), -0.5));
            }
            v[k] = MatrixOps.matmul(v0, u[k]);
        }
        return ((Eigh) p).computeV() ? new Array[][] {v, w} : new Array[][] {w};
    }

    /**
     * {@code y[k] = (1/k) sum_{j=1..k} j x[j] w[k-j]}, where {@code w} is the series of {@code f'(x)}:
     * {@code w.apply(m)} gives {@code w[m]} once {@code y[0..m]} are known (they are written into {@code y}).
     */
    private static Array[] integrate(Array[] x, Array[] y, IntFunction<Array> w) {
        Array[] ws = new Array[x.length];
        ws[0] = w.apply(0);
        for (int k = 1; k < x.length; k++) {
            Array acc = null;
            for (int j = 1; j <= k; j++) {
                Array term = Ops.mul(scale(x[j], j), ws[k - j]);
                acc = acc == null ? term : Ops.add(acc, term);
            }
            y[k] = scale(acc, 1.0 / k);
            if (k + 1 < x.length) {
                ws[k] = w.apply(k);
            }
        }
        return y;
    }

    /**
     * {@code y = f(x)} from the values of f's derivatives at the primal, {@code derivative(j) = f^(j)(x[0])}:
     * {@code y = sum_j f^(j)(x[0]) / j! * u^j} with {@code u = x - x[0]}, whose j-th power starts at order j.
     * O(order^3) products and {@code order + 1} evaluations, where the JVP-derived rule would differentiate
     * the chain lgamma -> digamma -> polygamma(1) -> ... again at every order.
     */
    private static Array[] fromDerivatives(Array[] x, IntFunction<Array> derivative) {
        int order = x.length - 1;
        Array[] y = new Array[x.length];
        y[0] = derivative.apply(0);
        Array[] power = x.clone();                             // u^1: no constant term
        double factorial = 1;
        for (int j = 1; j <= order; j++) {
            factorial *= j;
            Array d = scale(derivative.apply(j), 1 / factorial);
            for (int k = j; k <= order; k++) {
                Array term = Ops.mul(d, power[k]);
                y[k] = y[k] == null ? term : Ops.add(y[k], term);
            }
            if (j < order) {                                   // u^(j+1)[k] = sum_i u[i] u^j[k - i], k - i >= j
                Array[] next = new Array[x.length];
                for (int k = j + 1; k <= order; k++) {
                    for (int i = 1; k - i >= j; i++) {
                        Array term = Ops.mul(x[i], power[k - i]);
                        next[k] = next[k] == null ? term : Ops.add(next[k], term);
                    }
                }
                power = next;
            }
        }
        return y;
    }

    private static Array polygamma(int m, Array x) {
        return Interpreters.bind1(m == 0 ? new Digamma() : new Polygamma(m), x);
    }

    private static Array[] exp(Array[] x) {
        Array[] y = new Array[x.length];
        y[0] = Ops.exp(x[0]);
        return integrate(x, y, m -> y[m]);
    }

    private static Array[] expm1(Array[] x) {
        Array[] y = new Array[x.length];
        y[0] = Ops.expm1(x[0]);
        Array e0 = Ops.exp(x[0]); // exp = expm1 + 1, kept accurate near 0
        return integrate(x, y, m -> m == 0 ? e0 : y[m]);
    }

    /** {@code y = log(x + shift)}: from {@code u y' = x'}, {@code y[k] = (x[k] - (1/k) sum_{j=1..k-1} j y[j] u[k-j]) / u[0]}. */
    private static Array[] logOfShifted(Array[] x, double shift) {
        Array[] y = new Array[x.length];
        y[0] = shift == 0 ? Ops.log(x[0]) : Ops.log1p(x[0]);
        Array u0 = shift == 0 ? x[0] : Ops.add(x[0], Ops.fullLike(x[0], shift));
        for (int k = 1; k < x.length; k++) {
            Array acc = x[k];
            for (int j = 1; j < k; j++) {
                acc = Ops.sub(acc, scale(Ops.mul(y[j], x[k - j]), (double) j / k));
            }
            y[k] = Ops.div(acc, u0);
        }
        return y;
    }

    /** Sine and cosine together: each is the other's derivative (up to sign). */
    private static Array[][] sinCos(Array[] x) {
        int n = x.length;
        Array[] s = new Array[n];
        Array[] c = new Array[n];
        s[0] = Ops.sin(x[0]);
        c[0] = Ops.cos(x[0]);
        for (int k = 1; k < n; k++) {
            Array sk = null;
            Array ck = null;
            for (int j = 1; j <= k; j++) {
                Array jx = scale(x[j], (double) j / k);
                Array ts = Ops.mul(jx, c[k - j]);
                Array tc = Ops.mul(jx, s[k - j]);
                sk = sk == null ? ts : Ops.add(sk, ts);
                ck = ck == null ? tc : Ops.add(ck, tc);
            }
            s[k] = sk;
            c[k] = Ops.neg(ck);
        }
        return new Array[][] {s, c};
    }

    /** {@code tan' = 1 + tan^2}. */
    private static Array[] tan(Array[] x) {
        Array[] y = new Array[x.length];
        y[0] = Ops.tan(x[0]);
        Array one = Ops.fullLike(x[0], 1);
        return integrate(x, y, m -> m == 0 ? Ops.add(one, Ops.mul(y[0], y[0])) : square(y, m));
    }

    /** {@code tanh' = 1 - tanh^2}. */
    private static Array[] tanh(Array[] x) {
        Array[] y = new Array[x.length];
        y[0] = Ops.tanh(x[0]);
        Array one = Ops.fullLike(x[0], 1);
        return integrate(x, y, m -> m == 0 ? Ops.sub(one, Ops.mul(y[0], y[0])) : Ops.neg(square(y, m)));
    }

    /** {@code logistic' = y - y^2}. */
    private static Array[] logistic(Array[] x) {
        Array[] y = new Array[x.length];
        y[0] = Ops.logistic(x[0]);
        return integrate(x, y, m -> Ops.sub(y[m], square(y, m)));
    }

    /** {@code erf' = (2 / sqrt(pi)) exp(-x^2)}, a series of {@code x} alone. */
    private static Array[] erf(Array[] x) {
        Array[] minusSquare = mulSeries(x, x);
        for (int k = 0; k < minusSquare.length; k++) {
            minusSquare[k] = Ops.neg(minusSquare[k]);
        }
        Array[] g = exp(minusSquare);
        double c = 2 / Math.sqrt(Math.PI);
        Array[] y = new Array[x.length];
        y[0] = Ops.erf(x[0]);
        return integrate(x, y, m -> scale(g[m], c));
    }

    /** From {@code y^2 = x}: {@code y[k] = (x[k] - sum_{j=1..k-1} y[j] y[k-j]) / (2 y[0])}. */
    private static Array[] sqrt(Array[] x) {
        Array[] y = new Array[x.length];
        y[0] = Ops.sqrt(x[0]);
        Array twoY0 = scale(y[0], 2);
        for (int k = 1; k < x.length; k++) {
            Array acc = x[k];
            for (int j = 1; j < k; j++) {
                acc = Ops.sub(acc, Ops.mul(y[j], y[k - j]));
            }
            y[k] = Ops.div(acc, twoY0);
        }
        return y;
    }

    /**
     * {@code y = x^r} for a constant {@code r}, given {@code y[0]}: from {@code x y' = r x' y},
     * {@code y[k] = (1 / (k x[0])) sum_{j=1..k} (r j - (k - j)) x[j] y[k-j]}. Needs {@code x[0] != 0}.
     */
    private static Array[] powConstant(Array[] x, Array y0, Array r) {
        Array[] y = new Array[x.length];
        y[0] = y0;
        for (int k = 1; k < x.length; k++) {
            Array acc = null;
            for (int j = 1; j <= k; j++) {
                Array factor = Ops.sub(scale(r, j), Ops.fullLike(r, k - j));
                Array term = Ops.mul(factor, Ops.mul(x[j], y[k - j]));
                acc = acc == null ? term : Ops.add(acc, term);
            }
            y[k] = Ops.div(scale(acc, 1.0 / k), x[0]);
        }
        return y;
    }

    /** {@code x^y}: the constant-exponent recurrence, else {@code exp(y log x)} (a positive base). */
    private static Array[][] pow(Primitive p, Array[] primals, Array[][] c, int order) {
        if (c[1] == null) {
            return new Array[][] {powConstant(c[0], Ops.pow(primals[0], primals[1]), primals[1])};
        }
        Array[] logX = c[0] == null ? constant(Ops.log(primals[0]), order) : logOfShifted(c[0], 0);
        Array[] y = exp(mulSeries(c[1], logX));
        y[0] = Ops.pow(primals[0], primals[1]);
        return new Array[][] {y};
    }

    /** {@code x^n} by repeated squaring of the series (exact at {@code x = 0}); a negative power is a reciprocal. */
    private static Array[] integerPow(Array[] x, int n) {
        Array[] result = null;
        Array[] base = x;
        for (int e = Math.abs(n); e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result = result == null ? base : mulSeries(result, base);
            }
            if (e > 1) {
                base = mulSeries(base, base);
            }
        }
        if (result == null) { // n == 0
            result = constant(Ops.fullLike(x[0], 1), x.length - 1);
        }
        if (n < 0) {
            result = divSeries(constant(Ops.fullLike(x[0], 1), x.length - 1), result);
        }
        return result;
    }

    /**
     * The running product as a parallel prefix scan of series (Hillis-Steele): after the step of shift {@code d}
     * each position holds the Cauchy product of the series of its last {@code 2d} elements, the positions before
     * the start reading the series of 1. The primal is the primitive's own.
     */
    private static Array[][] cumprod(Primitive p, Array[] primals, Array[][] c, int order) {
        CumProd cp = (CumProd) p;
        int[] shape = primals[0].shape();
        int axis = Shapes.axis(p.name(), cp.axis(), shape.length);
        int n = shape[axis];
        Array[] y = c[0];
        for (int d = 1; d < n; d *= 2) {
            Array[] shifted = new Array[y.length];
            for (int k = 0; k < y.length; k++) {
                shifted[k] = shift(y[k], axis, d, cp.reverse(), k == 0 ? 1 : 0);
            }
            y = mulSeries(y, shifted);
        }
        y[0] = Interpreters.bind1(p, primals[0]);
        return new Array[][] {y};
    }

    /** {@code x} moved {@code d} places along {@code axis} (towards its end, or its start if {@code back}), filled. */
    private static Array shift(Array x, int axis, int d, boolean back, double fill) {
        int[] shape = x.shape();
        int rank = shape.length;
        int[] start = new int[rank];
        int[] limit = shape.clone();
        int[] low = new int[rank];
        int[] high = new int[rank];
        int[] ones = new int[rank];
        Arrays.fill(ones, 1);
        if (back) {
            start[axis] = d;
            high[axis] = d;
        } else {
            limit[axis] = shape[axis] - d;
            low[axis] = d;
        }
        Array kept = Ops.slice(x, start, limit, ones);
        return Ops.pad(kept, Ops.full(new Aval(x.dtype()), fill), low, high, new int[rank]);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** {@code w[m]} of {@code y^2}: {@code sum_{i=0..m} y[i] y[m-i]}. */
    private static Array square(Array[] y, int m) {
        Array acc = Ops.mul(y[0], y[m]);
        for (int i = 1; i <= m; i++) {
            acc = Ops.add(acc, Ops.mul(y[i], y[m - i]));
        }
        return acc;
    }

    /** The series of a constant: its value, then zeros. */
    private static Array[] constant(Array value, int order) {
        Array[] c = new Array[order + 1];
        c[0] = value;
        Array zero = Ops.zerosLike(value);
        for (int k = 1; k <= order; k++) {
            c[k] = zero;
        }
        return c;
    }

    /** {@code x * s}, or {@code x} itself for {@code s = 1}. */
    static Array scale(Array x, double s) {
        return s == 1 ? x : Ops.mul(x, Ops.fullLike(x, s));
    }
}
