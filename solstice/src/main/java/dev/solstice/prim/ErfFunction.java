package dev.solstice.prim;

/**
 * The error function in double precision, with no library: a Taylor series with positive terms
 * (erf x = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1*3*...*(2n+1))) for |x| < 3, where it has no
 * cancellation, and a continued fraction for erfc beyond. Both reach a few ulp; tests compare with Hipparchus.
 */
final class ErfFunction {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ErfFunction() {}

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < 3 ? series(a) : 1 - erfcContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /**
     * erfc(y) with relative accuracy for every y: 1 - erf(y) below 2 (no cancellation for y <= 0, and at
     * most about two digits lost up to 2), the continued fraction from 2 on.
     */
    static double erfc(double y) {
        return y < 2 || Double.isNaN(y) ? 1 - erf(y) : erfcContinuedFraction(y);
    }

    /** erfc(x) for x >= 2 by Lentz's method on erfc x = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
    private static double erfcContinuedFraction(double x) {
        if (x == Double.POSITIVE_INFINITY) {
            return 0; // the fraction would compute inf * 0
        }
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 2000; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
