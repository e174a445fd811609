package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.ArrayList;
import java.util.List;

/**
 * Clipping of updates (Optax's {@code clipping}): by global norm, and the global norm itself. Also reachable as
 * {@code Optim.clipByGlobalNorm(...)} and {@code Optim.globalNorm(...)}.
 *
 * {@snippet lang=java :
 * Clipping.globalNorm(List.of(Array.of(3.0), Array.of(4.0)))   // 5.0
 * }
 */
public final class Clipping {
    private Clipping() {}

    /**
     * Rescales all updates together so that their global norm (the square root of the sum of every element's
     * square, over all leaves) is at most {@code maxNorm} (Optax's {@code clip_by_global_norm}): when the norm
     * {@code n} is below {@code maxNorm} the updates pass unchanged, otherwise each becomes
     * {@code g / n * maxNorm}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0, 0.0);
     * var clip = Clipping.clipByGlobalNorm(1.0);
     * clip.update(Array.of(3.0, 4.0), clip.init(p), p).updates()   // Array(float64[2], [0.6, 0.8])
     * }
     *
     * @param maxNorm the largest global norm allowed (positive)
     * @return the transformation
     */
    public static GradientTransformation<Scaling.EmptyState> clipByGlobalNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be positive, got " + maxNorm);
        }
        return Transforms.stateless((grads, params) -> {
            Leaves z = Leaves.align("clipByGlobalNorm", "grads", grads);
            Array norm = globalNormOf(z);
            if (norm == null) {
                return grads;
            }
            Array keep = Jnp.less(norm, maxNorm);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < z.size(); i++) {
                Array g = z.array(0, i);
                out.add(g == null ? null : Jnp.where(keep, g, g.div(norm.astype(g.dtype())).mul(maxNorm)));
            }
            return z.build(out);
        });
    }

    /**
     * The global norm of a tree: the square root of the sum of the squares of all elements of all its leaves
     * (Optax's {@code global_norm}); nulls are skipped. Computed in float64 when any leaf is float64.
     *
     * {@snippet lang=java :
     * Clipping.globalNorm(Map.of("a", Array.of(1.0, 2.0), "b", Array.of(2.0)))   // 3.0
     * }
     *
     * @param tree a tree of float arrays
     * @return the norm, a scalar array (0 for a tree with no leaves)
     */
    public static Array globalNorm(Object tree) {
        Array n = globalNormOf(Leaves.align("globalNorm", "tree", tree));
        return n == null ? Array.scalar(0.0f) : n;
    }

    private static Array globalNormOf(Leaves z) {
        Array total = null;
        for (int i = 0; i < z.size(); i++) {
            Array g = z.floating(0, i);
            if (g != null) {
                Array s = Jnp.sum(Jnp.square(g));
                total = total == null ? s : total.add(s);
            }
        }
        return total == null ? null : Jnp.sqrt(total);
    }
}
