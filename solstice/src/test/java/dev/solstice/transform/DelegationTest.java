package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An interpreter hands an operation none of its own values take part in straight to its parent
 * ({@code Interpreters.delegate}); a call with a custom rule goes down with the parent installed, so that the
 * custom rule, not the function's own derivative, reaches the transformation that owns the operands. The
 * operand here belongs to an outer transformation and the inner one has no part in it; at relu's kink the
 * custom rule gives 0 where max's own rule would give 1/2, so a call that lost its rule on the way shows.
 */
class DelegationTest {

    /** d/dx of (the inner derivative in y of relu(x) * y, at y = 1): relu'(x), as the custom rule says. */
    private static double outerDerivative(Function<Function<Array, Array>, Function<Array, Array>> outer,
            Function<Function<Array, Array>, Function<Array, Array>> inner, double x) {
        return outer.apply(z -> inner.apply(y -> Nn.relu(z).mul(y)).apply(Array.scalar(1.0))).apply(Array.scalar(x)).item();
    }

    @Test
    void aCustomRuleOfAnOuterOperandReachesTheOuterTransformation() {
        Function<Function<Array, Array>, Function<Array, Array>> grad = f -> Jax.grad(f::apply);
        Function<Function<Array, Array>, Function<Array, Array>> fwd = f -> z -> Jax.jvp(f, z, Array.scalar(1.0)).tangent();
        Function<Function<Array, Array>, Function<Array, Array>> vmapped = f -> z -> Jax.vmap(f::apply)
                .apply(Jnp.reshape(z, 1)).reshape();
        for (var outer : java.util.List.of(grad, fwd)) {
            for (var inner : java.util.List.of(grad, fwd)) {
                assertEquals(0.0, outerDerivative(outer, inner, 0.0), 0.0, "at the kink: relu's custom rule");
                assertEquals(1.0, outerDerivative(outer, inner, 2.0), 0.0);
                assertEquals(0.0, outerDerivative(outer, inner, -1.5), 0.0);
                // a vmap between the two has no part in relu(z) either
                assertEquals(0.0, outerDerivative(outer, f -> inner.apply(vmapped.apply(f)), 0.0), 0.0);
            }
        }
    }
}
