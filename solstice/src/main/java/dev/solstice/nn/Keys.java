package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;

/** Checks shared by the layers' constructors. */
final class Keys {
    private Keys() {}

    /** A PRNG key is an int32 array of shape [2]. */
    static void check(String layer, Array key) {
        if (key == null || key.dtype() != DType.INT32 || key.ndim() != 1 || key.shape()[0] != 2) {
            throw new IllegalArgumentException(layer + ": the key must be a PRNG key (int32[2], from Prng.key or"
                    + " Prng.split), got " + (key == null ? "null" : key.aval().str()));
        }
    }

    /** A size must be positive. */
    static void positive(String layer, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(layer + ": " + what + " must be positive, got " + value);
        }
    }
}
