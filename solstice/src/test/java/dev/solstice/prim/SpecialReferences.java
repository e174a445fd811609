package dev.solstice.prim;

import org.hipparchus.special.Gamma;

/**
 * Independent float64 references for the special-function primitives, built from Hipparchus where it has the
 * function (accurately) and from definitions where it has not: digamma and polygamma by direct summation, log|Γ| by reflection for negative arguments, polygamma of
 * order 2 by direct summation of its series, and the scaled Bessel functions by the trapezoidal rule on their
 * integral representation (exponentially convergent for a periodic integrand).
 */
final class SpecialReferences {
    private SpecialReferences() {}

    /** log|Γ(x)|: Hipparchus for x > 0, Γ(x) Γ(1 - x) = π / sin(πx) below; +inf at the poles. */
    static double logAbsGamma(double x) {
        if (x > 0) {
            return Gamma.logGamma(x);
        }
        if (x == Math.rint(x)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - Gamma.logGamma(1 - x);
    }

    /**
     * ψ(x) = ψ(x + 60) - Σ_{k<60} 1/(x + k), with ψ(x + 60) from its asymptotic series to the x^-6 term (error
     * below 1e-16). Hipparchus' {@code Gamma.digamma} is not used: its asymptotic series has the x^-4 term with
     * the wrong sign (errors near 3e-9; compare digamma(12) = 2.442661679975812 from mpmath).
     */
    static double digamma(double x) {
        if (x <= 0 && x == Math.rint(x)) {
            return Double.NaN;
        }
        int terms = 60;
        double shift = 0;
        for (int k = terms - 1; k >= 0; k--) {
            shift += 1 / (x + k);
        }
        double a = x + terms;
        double i2 = 1 / (a * a);
        return Math.log(a) - 0.5 / a - i2 / 12 + i2 * i2 / 120 - i2 * i2 * i2 / 252 - shift;
    }

    /**
     * ψ^(m)(x) for m = 1, 2: (-1)^(m+1) m! Σ_n (x + n)^-(m+1) summed directly over 2000 terms, the rest by the
     * Euler–Maclaurin formula (error of order 2000^-(m+6)).
     */
    static double polygamma(int m, double x) {
        if (m != 1 && m != 2) {
            throw new IllegalArgumentException("no reference for polygamma of order " + m);
        }
        int terms = 2000;
        double sum = 0;
        for (int n = terms - 1; n >= 0; n--) {
            sum += Math.pow(x + n, -(m + 1));
        }
        double a = x + terms;
        if (m == 1) {
            // Σ_{n>=0} (a+n)^-2 = 1/a + 1/(2a^2) + 1/(6a^3) - 1/(30a^5) + ...
            return sum + 1 / a + 1 / (2 * a * a) + 1 / (6 * a * a * a) - 1 / (30 * Math.pow(a, 5));
        }
        // Σ_{n>=0} (a+n)^-3 = 1/(2a^2) + 1/(2a^3) + 1/(4a^4) - 1/(12a^6) + ...
        double tail = 1 / (2 * a * a) + 1 / (2 * a * a * a) + 1 / (4 * a * a * a * a) - 1 / (12 * Math.pow(a, 6));
        return -2 * (sum + tail);
    }

    /**
     * e^-|x| I_nu(x) for nu = 0, 1 from I_nu(x) = (1/π) ∫_0^π e^{x cos t} cos(nu t) dt, as
     * (1/π) ∫ e^{|x|(cos t - 1)} cos(nu t) dt; for nu = 1 the integrand is written with expm1 (the integral of
     * cos t alone is 0), so that small x keeps its relative accuracy.
     */
    static double besselScaled(int nu, double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        int n = 6000;
        double h = Math.PI / n;
        double sum = 0;
        for (int k = 0; k <= n; k++) {
            double t = k * h;
            double c = Math.cos(t);
            double f = nu == 0 ? Math.exp(a * (c - 1)) : Math.expm1(a * (c - 1)) * c;
            sum += (k == 0 || k == n) ? f / 2 : f;
        }
        double r = sum * h / Math.PI;
        return nu == 1 && x < 0 ? -r : r;
    }
}
