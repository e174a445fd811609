package dev.solstice.prim;

/**
 * The exponentially scaled modified Bessel functions i0e(x) = e^{-|x|} I0(x) and i1e(x) = e^{-|x|} I1(x) in
 * double precision, with no library: the power series (all terms positive, so no cancellation) up to |x| = 30,
 * and the large-argument asymptotic series beyond, where its smallest term is below e^{-60}. Tests compare with
 * a quadrature of the integral representation.
 */
final class BesselFunctions {
    private BesselFunctions() {}

    /** Where the power series hands over to the asymptotic series. */
    private static final double SERIES_LIMIT = 30;

    static double i0e(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return 0;
        }
        return a <= SERIES_LIMIT ? seriesI(0, a) * Math.exp(-a) : asymptotic(0, a);
    }

    static double i1e(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return Math.copySign(0.0, x);
        }
        double r = a <= SERIES_LIMIT ? seriesI(1, a) * Math.exp(-a) : asymptotic(1, a);
        return x < 0 ? -r : r;
    }

    /** I_nu(a) = (a/2)^nu Σ_k (a²/4)^k / (k! (k+nu)!), nu = 0 or 1. */
    private static double seriesI(int nu, double a) {
        double q = a * a / 4;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 500; k++) {
            term *= q / (k * (double) (k + nu));
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return nu == 0 ? sum : sum * a / 2;
    }

    /** e^{-a} I_nu(a) ~ 1/sqrt(2πa) Σ_k c_k, c_k = c_{k-1} ((2k-1)² - 4nu²) / (8 k a), to its smallest term. */
    private static double asymptotic(int nu, double a) {
        double mu = 4.0 * nu * nu;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 200; k++) {
            double next = term * ((2.0 * k - 1) * (2.0 * k - 1) - mu) / (8.0 * k * a);
            if (Math.abs(next) >= Math.abs(term) && k > 1) {
                break; // the series has started to diverge
            }
            term = next;
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return sum / Math.sqrt(2 * Math.PI * a);
    }
}
