package dev.solstice;

import java.util.Arrays;

/**
 * Which arguments of a two- or three-argument function to differentiate (JAX's {@code argnums}):
 * {@code Jax.grad((Array w, Array x) -> ..., Argnums.of(0, 1))} gives a {@link Pair} of both gradients,
 * {@code Argnums.of(1)} a {@link Pair} with only {@code second()} set. Without an {@code Argnums} the
 * transformations differentiate the first argument, as JAX does.
 *
 * {@snippet lang=java :
 * BiFunction<Array, Array, Array> f = (w, x) -> Jnp.sum(w.mul(x).mul(x));
 * Jax.grad(f, Argnums.of(1)).apply(Array.scalar(3.0), Array.scalar(2.0)).second()   // 12.0
 * Argnums.of(1, 0)                // [0, 1]
 * Argnums.of(0, 0)                // throws IllegalArgumentException
 * }
 */
public final class Argnums {
    private final int[] indices;

    private Argnums(int[] indices) {
        this.indices = indices;
    }

    /**
     * The arguments at these positions (0-based, each once, in any order).
     *
     * {@snippet lang=java :
     * Argnums.of(2, 0).indices()      // [0, 2]
     * Argnums.of(-1)                  // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException if none is given, one is negative or one repeats
     */
    public static Argnums of(int... indices) {
        if (indices == null || indices.length == 0) {
            throw new IllegalArgumentException("Argnums.of: give at least one argument position");
        }
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || (i > 0 && sorted[i] == sorted[i - 1])) {
                throw new IllegalArgumentException("Argnums.of: positions must be distinct and non-negative, got "
                        + Arrays.toString(indices));
            }
        }
        return new Argnums(sorted);
    }

    /**
     * Whether argument {@code i} is differentiated.
     *
     * {@snippet lang=java :
     * Argnums.of(0, 2).contains(1)    // false
     * }
     */
    public boolean contains(int i) {
        return Arrays.binarySearch(indices, i) >= 0;
    }

    /**
     * The positions, ascending.
     *
     * {@snippet lang=java :
     * Argnums.of(1, 0).indices()      // [0, 1]
     * }
     */
    public int[] indices() {
        return indices.clone();
    }

    /** Refuses positions a function of {@code arity} arguments does not have, naming the operation. */
    void check(String op, int arity) {
        if (indices[indices.length - 1] >= arity) {
            throw new IllegalArgumentException(op + ": argnums " + this + " name an argument the function of " + arity
                    + " arguments does not have (positions run from 0 to " + (arity - 1) + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argnums a && Arrays.equals(a.indices, indices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return Arrays.toString(indices);
    }
}
