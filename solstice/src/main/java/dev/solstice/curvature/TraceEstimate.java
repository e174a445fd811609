package dev.solstice.curvature;

/**
 * A stochastic estimate of a matrix's trace (Hutchinson's or Hutch++).
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
 * TraceEstimate t = Curvature.hutchinsonTrace(loss, Array.of(0.5, 0.5, 0.5), 4, Prng.key(0));
 * t.probes()                      // 4
 * t.mean()                        // 12.0
 * }
 *
 * @param mean the estimate
 * @param standardError the standard error of the estimate over its random probes (NaN with one probe; 0 where the
 *     estimate is exact, as Hutch++ when its sketch spans the whole space)
 * @param probes the number of matrix-vector products used
 */
public record TraceEstimate(double mean, double standardError, int probes) {
    /**
     * The mean and standard error of the mean of the probes' quadratic forms, {@code offset} added.
     *
     * {@snippet lang=java :
     * // samples 1 and 3: mean 2, standard error sqrt(2 / 2) = 1
     * TraceEstimate.ofSamples(new double[] {1, 3}, 10, 2)   // TraceEstimate[mean=12.0, standardError=1.0, probes=2]
     * }
     */
    public static TraceEstimate ofSamples(double[] quadraticForms, double offset, int products) {
        int n = quadraticForms.length;
        double mean = 0;
        for (double q : quadraticForms) {
            mean += q;
        }
        mean = n == 0 ? 0 : mean / n;
        double var = 0;
        for (double q : quadraticForms) {
            var += (q - mean) * (q - mean);
        }
        double se = n == 0 ? 0 : n > 1 ? Math.sqrt(var / (n - 1) / n) : Double.NaN;
        return new TraceEstimate(offset + mean, se, products);
    }
}
