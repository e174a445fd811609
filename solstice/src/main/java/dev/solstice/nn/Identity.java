package dev.solstice.nn;

import dev.solstice.Array;

/** The identity layer (Equinox's {@code eqx.nn.Identity}). */
public record Identity() implements Layer {
    @Override
    public Array apply(Array x) {
        return x;
    }
}
