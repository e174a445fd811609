package dev.solstice.kernel;

import dev.solstice.DType;

/** The one error a kernel raises for a dtype it has no loop for. */
final class Unsupported {
    private Unsupported() {}

    static UnsupportedOperationException dtype(String kernel, DType t) {
        return new UnsupportedOperationException(kernel + ": no kernel for " + t + " operands; convert them first"
                + " with Jnp.astype (for example to " + (t.isFloating() ? "float32" : "int32") + ")");
    }
}
