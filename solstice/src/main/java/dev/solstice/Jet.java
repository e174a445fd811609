package dev.solstice;

import java.util.List;

/**
 * The result of {@link Jax#jet}: the function's output and its truncated power series along the input's path, in
 * JAX's derivative convention (entry k-1 is the k-th derivative term, not divided by k!).
 *
 * {@snippet lang=java :
 * Jet j = Jax.jet(Jnp::exp, Array.scalar(0.0), List.of(Array.scalar(2.0), Array.scalar(0.0)));
 * j.primal().item()               // 1.0
 * j.series().get(1).item()        // 4.0: d^2/dt^2 exp(2t) at t = 0
 * }
 *
 * @param primal the output at the point
 * @param series the output's series, one array of the output's shape per order
 */
public record Jet(Array primal, List<Array> series) {
    /** Keeps an unmodifiable copy of the series. */
    public Jet {
        series = List.copyOf(series);
    }
}
