package dev.solstice;

import dev.solstice.transform.Jacobians;

/**
 * The Hessian of a scalar function of a tree {@code T} at one point, as {@link Jax#hessian(java.util.function.Function)}
 * and {@link Eqx#filterHessian(java.util.function.Function)} give it: the Jacobian of the gradient, so both its output
 * and its input leaves are the differentiated leaves of the input. {@code block(a, b)} is
 * {@code d2f / da db} of shape {@code a.shape + b.shape}; {@code row(a)} is a {@code T} holding the blocks of
 * {@code a} by every leaf; {@link #asMatrix} is the dense {@code [n, n]} Hessian of the raveled differentiated leaves
 * (the one {@code Jax.hessian} gives for {@code flat -> f(unravel(flat))}).
 * {@snippet lang=java :
 * record Affine(Array w, Array b) {}
 * Function<Affine, Array> loss = m -> Jnp.sum(Jnp.square(m.w().matmul(Array.of(1.0, 2.0)).add(m.b())));
 * Hessian<Affine> h = Jax.hessian(loss).apply(new Affine(Jnp.zeros(1, 2), Jnp.zeros(1)));
 * h.block("w", "b")                   // [[[2.0], [4.0]]]: w.shape + b.shape
 * Affine byB = h.row("b");            // the derivatives of d loss / d b, an Affine
 * byB.w()                             // [[[2.0, 4.0]]]
 * h.asMatrix()                        // [[2.0, 4.0, 2.0], [4.0, 8.0, 4.0], [2.0, 4.0, 2.0]]
 * }
 *
 * @param <T> the input's type
 */
public final class Hessian<T> extends TreeJacobian<T> {
    Hessian(Jacobians.Blocks blocks) {
        super(blocks);
    }
}
