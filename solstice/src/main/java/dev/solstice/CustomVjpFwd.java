package dev.solstice;

import java.util.List;

/**
 * What the forward function of {@link Jax#customVjp} returns: the output and the residuals its backward
 * function needs.
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> square = Jax.customVjp(x -> x.mul(x), x -> new CustomVjpFwd(x.mul(x), x),
 *         (residuals, g) -> g.mul(residuals.get(0)).mul(2.0));
 * Jax.grad(square).apply(Array.scalar(3.0))   // 6.0
 * }
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
