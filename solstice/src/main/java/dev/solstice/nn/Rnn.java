package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Lax;

/** Helpers shared by the recurrent cells. */
final class Rnn {
    private Rnn() {}

    /** The {@code i}-th block of length {@code n} of a vector. */
    static Array part(Array v, int i, int n) {
        return Lax.slice(v, new int[] {i * n}, new int[] {(i + 1) * n}, new int[] {1});
    }

    static void checkVector(String layer, String what, Array v, int size) {
        if (v.ndim() != 1 || v.shape()[0] != size) {
            throw new IllegalArgumentException(layer + ": " + what + " must have shape [" + size + "], got " + v.aval().str()
                    + " (use Jax.vmap for batches)");
        }
    }

    static void checkDtype(String layer, DType dtype) {
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException(layer + ": the dtype must be floating, got " + dtype);
        }
    }
}
