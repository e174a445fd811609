package dev.solstice.prim;

/**
 * log|Γ|, digamma and polygamma in double precision, with no library. log Γ uses the Taylor series of
 * log Γ(1 + z) (coefficients ζ(k)/k) on [0.5, 2.5], which holds its zeros at 1 and 2 with relative accuracy,
 * the recurrence down into that interval below 10 and Stirling's series above; digamma and polygamma shift up
 * by the recurrence to where their asymptotic series converge to full precision. Negative arguments are
 * reflected (Euler's formula, with sin(πx) reduced exactly so that nothing is lost near the poles). Values at
 * the poles follow XLA: lgamma gives +inf at non-positive integers, digamma NaN, polygamma of odd order +inf
 * and of even order NaN. Tests compare with Hipparchus and with mpmath's values.
 */
final class GammaFunctions {
    private GammaFunctions() {}

    private static final double EULER = 0.57721566490153286060651209008240243;
    private static final double HALF_LOG_TWO_PI = 0.91893853320467274178032973640562;
    private static final double LOG_PI = 1.14472988584940017414342735135305871;

    /** Bernoulli numbers B_2, B_4, ..., B_24. */
    private static final double[] BERNOULLI = {
        1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
        43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730};

    /** The Taylor coefficients of log Γ(1 + z): (-1)^k ζ(k) / k for k = 2, 3, ...; index k. */
    private static final double[] LOG_GAMMA_1P = new double[64];

    static {
        for (int k = 2; k < LOG_GAMMA_1P.length; k++) {
            LOG_GAMMA_1P[k] = ((k & 1) == 0 ? 1 : -1) * hurwitzZeta(k, 1) / k;
        }
    }

    /** log|Γ(x)|. */
    static double lgamma(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isInfinite(x)) {
            return Double.POSITIVE_INFINITY;
        }
        if (x <= 0 && x == Math.rint(x)) {
            return Double.POSITIVE_INFINITY; // a pole
        }
        if (x < 0.5) {
            // Γ(x) Γ(1 - x) = π / sin(πx)
            return LOG_PI - Math.log(Math.abs(sinPi(x))) - lgamma(1 - x);
        }
        if (x <= 1.5) {
            return logGamma1p(x - 1);
        }
        if (x < 2.5) {
            double z = x - 2;
            return Math.log1p(z) + logGamma1p(z);
        }
        if (x >= 10) {
            return stirling(x);
        }
        // 2.5 <= x < 10: log Γ(x) = log((x-1)(x-2)...(x-n)) + log Γ(x - n) with x - n in [1.5, 2.5), the series'
        // region: both terms positive there, so nothing cancels
        double product = 1;
        double y = x;
        while (y >= 2.5) {
            y -= 1;
            product *= y;
        }
        return Math.log(product) + (y <= 1.5 ? logGamma1p(y - 1) : Math.log1p(y - 2) + logGamma1p(y - 2));
    }

    /** log Γ(1 + z) for |z| ≤ 1/2 by its Taylor series (radius 1; 62 terms reach 1e-19 at |z| = 1/2). */
    private static double logGamma1p(double z) {
        double sum = 0;
        for (int k = LOG_GAMMA_1P.length - 1; k >= 2; k--) {
            sum = sum * z + LOG_GAMMA_1P[k];
        }
        return z * (-EULER + z * sum);
    }

    /** Stirling's series for log Γ(x), x ≥ 10. */
    private static double stirling(double x) {
        double inv = 1 / x;
        double inv2 = inv * inv;
        double series = 0;
        double power = inv;
        for (int k = 1; k <= 9; k++) {
            series += BERNOULLI[k - 1] / (2.0 * k * (2 * k - 1)) * power;
            power *= inv2;
        }
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
    }

    /** ψ(x) = d/dx log Γ(x); NaN at the poles (non-positive integers) and at -inf. */
    static double digamma(double x) {
        if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY || (x <= 0 && x == Math.rint(x))) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x < 0) {
            // ψ(1 - x) - ψ(x) = π cot(πx)
            return digamma(1 - x) - Math.PI / tanPi(x);
        }
        double shift = 0;
        double y = x;
        while (y < 10) {
            shift += 1 / y;
            y += 1;
        }
        double inv2 = 1 / (y * y);
        double series = 0;
        double power = inv2;
        for (int k = 1; k <= 9; k++) {
            series += BERNOULLI[k - 1] / (2 * k) * power;
            power *= inv2;
        }
        return Math.log(y) - 0.5 / y - series - shift;
    }

    /**
     * ψ^(m)(x), the m-th derivative of the digamma function, for m ≥ 1: (-1)^(m+1) m! ζ(m + 1, x) for every
     * real x off the poles (for negative x the Hurwitz series still converges, as m + 1 is an integer).
     */
    static double polygamma(int m, double x) {
        if (m == 0) {
            return digamma(x);
        }
        if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0;
        }
        if (x <= 0 && x == Math.rint(x)) {
            return (m & 1) == 1 ? Double.POSITIVE_INFINITY : Double.NaN; // +-inf on either side for even m
        }
        double factorial = 1;
        for (int k = 2; k <= m; k++) {
            factorial *= k;
        }
        return ((m & 1) == 1 ? factorial : -factorial) * hurwitzZeta(m + 1, x);
    }

    /**
     * ζ(s, q) = Σ_{n ≥ 0} (q + n)^(-s) for integer s ≥ 2: the first terms summed directly until q + n is large,
     * the rest by the Euler–Maclaurin formula.
     */
    static double hurwitzZeta(int s, double q) {
        double start = 12 + s;
        double sum = 0;
        double a = q;
        while (a < start) {
            sum += intPow(a, -s);
            a += 1;
        }
        // tail: a^(1-s)/(s-1) + a^(-s)/2 + Σ_j B_2j/(2j)! s(s+1)...(s+2j-2) a^(-s-2j+1)
        double tail = intPow(a, 1 - s) / (s - 1) + 0.5 * intPow(a, -s);
        double inv2 = 1 / (a * a);
        double factor = s * intPow(a, -s - 1); // s a^(-s-1)
        double factorial = 2;
        for (int j = 1; j <= BERNOULLI.length; j++) {
            double term = BERNOULLI[j - 1] / factorial * factor;
            tail += term;
            if (Math.abs(term) < 1e-18 * Math.abs(sum + tail)) {
                break;
            }
            // next: multiply by (s+2j-1)(s+2j) / a^2 and divide the factorial by (2j+1)(2j+2)
            factor *= (s + 2.0 * j - 1) * (s + 2.0 * j) * inv2;
            factorial *= (2.0 * j + 1) * (2.0 * j + 2);
        }
        return sum + tail;
    }

    private static double intPow(double a, int n) {
        return Math.pow(a, n);
    }

    /** sin(πx), with the argument reduced exactly so that it is accurate near every integer. */
    static double sinPi(double x) {
        double r = x - 2 * Math.rint(x / 2); // exact, in [-1, 1]
        double a = Math.abs(r);
        double s = Math.sin(Math.PI * Math.min(a, 1 - a));
        return r < 0 ? -s : s;
    }

    /** tan(πx), reduced exactly to [-1/2, 1/2] (period 1). */
    private static double tanPi(double x) {
        double r = x - Math.rint(x);
        return Math.tan(Math.PI * r);
    }
}
