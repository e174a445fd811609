package dev.solstice;

import java.util.List;

/**
 * What the forward function of {@link Jax#customVjp} returns: the output and the residuals its backward
 * function needs.
 *
 * @param output the function's output
 * @param residuals arrays saved for the backward pass
 */
public record CustomVjpFwd(Array output, List<Array> residuals) {
    /** Output and residuals. */
    public CustomVjpFwd(Array output, Array... residuals) {
        this(output, List.of(residuals));
    }
}
