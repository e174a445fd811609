package dev.solstice.transform;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/** Real zeros, instantiated where a symbolic zero leaves a transformation. */
final class Zeros {
    private Zeros() {}

    static DenseArray of(Aval aval) {
        return DenseArray.full(aval, 0);
    }
}
