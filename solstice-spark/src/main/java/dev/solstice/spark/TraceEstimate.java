package dev.solstice.spark;

/**
 * Hutchinson's estimate of a Hessian's trace: the mean of {@code v^T H v} over Rademacher probes {@code v}.
 *
 * @param mean the estimate
 * @param standardError the standard error of the mean over the probes
 * @param probes the number of probes
 */
public record TraceEstimate(double mean, double standardError, int probes) {
    /** The estimate from the probes' quadratic forms. */
    static TraceEstimate of(double[] quadraticForms) {
        int n = quadraticForms.length;
        double mean = 0;
        for (double q : quadraticForms) {
            mean += q;
        }
        mean /= n;
        double var = 0;
        for (double q : quadraticForms) {
            var += (q - mean) * (q - mean);
        }
        double se = n > 1 ? Math.sqrt(var / (n - 1) / n) : Double.NaN;
        return new TraceEstimate(mean, se, n);
    }
}
