package dev.solstice;

/**
 * A runtime check of {@link Eqx#errorIf} or {@link Eqx#branchedErrorIf} failed: its predicate held for some
 * element when the check ran (eagerly, under a transformation, or when a staged program was run). The message
 * is the user's message; under {@code vmap} it names each failing example, as Equinox's
 * {@code EquinoxRuntimeError} does.
 *
 * <p>It lives in the root package with {@link Array} (the bottom layer), so that the primitive that runs the
 * check can throw it.
 *
 * {@snippet lang=java :
 * Array x = Array.of(1.0, -1.0);
 * Eqx.errorIf(x, Jnp.less(x, 0.0), "x must not be negative")   // throws EqxRuntimeError
 * }
 */
public final class EqxRuntimeError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failed check with the message to report. */
    public EqxRuntimeError(String message) {
        super(message);
    }
}
