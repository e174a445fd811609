package dev.solstice;

import dev.solstice.transform.Jacobians;

/**
 * The Hessian of a scalar function of a tree {@code T} at one point, as {@link Jax#hessian(java.util.function.Function)}
 * and {@link Eqx#filterHessian(java.util.function.Function)} give it: the Jacobian of the gradient, so both its output
 * and its input leaves are the differentiated leaves of the input. {@code block(a, b)} is
 * {@code d2f / da db} of shape {@code a.shape + b.shape}; {@code row(a)} is a {@code T} holding the blocks of
 * {@code a} by every leaf; {@link #asMatrix} is the dense {@code [n, n]} Hessian of the raveled differentiated leaves
 * (the one {@code Jax.hessian} gives for {@code flat -> f(unravel(flat))}).
 * <pre>{@code
 * Hessian<Affine> h = Jax.hessian((Affine m) -> loss(m)).apply(m);
 * Array dwdb = h.block("w", "b");     // [w.rows, w.cols, b.size]
 * Affine byW = h.row("b");            // the derivatives of d f / d b, an Affine of [b.size, ...] arrays
 * Array dense = h.asMatrix();         // [n, n], n = w.size + b.size
 * }</pre>
 *
 * @param <T> the input's type
 */
public final class Hessian<T> extends TreeJacobian<T> {
    Hessian(Jacobians.Blocks blocks) {
        super(blocks);
    }
}
