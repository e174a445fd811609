package dev.solstice.eqx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.EqxRuntimeError;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code Eqx.errorIf} inside jit: the check is part of the compiled program and runs each time the program runs
 * (not when it is traced), under vmap and grad of the jitted function too.
 */
class ErrorIfJitTest {
    private static final UnaryOperator<Array> DOUBLED_IF_NON_NEGATIVE =
            x -> Eqx.errorIf(x, Jnp.less(x, 0.0), "x must be non-negative").mul(Array.scalar(2.0));

    @Test
    void theCompiledProgramChecksOnEveryCall() {
        Jitted<Array, Array> f = Jax.jit(DOUBLED_IF_NON_NEGATIVE);
        assertArrayEquals(new double[] {2, 4}, f.apply(Array.of(1.0, 2.0)).toDoubleArray());
        EqxRuntimeError e = assertThrows(EqxRuntimeError.class, () -> f.apply(Array.of(1.0, -2.0)));
        assertTrue(e.getMessage().contains("x must be non-negative"), e.getMessage());
        assertArrayEquals(new double[] {6, 0}, f.apply(Array.of(3.0, 0.0)).toDoubleArray());
        assertEquals(1, f.traceCount(), "the failing call ran the traced program, it did not trace again");
        assertTrue(Jax.makeJaxpr(DOUBLED_IF_NON_NEGATIVE).apply(Array.of(1.0)).toString().contains("error_if"));
    }

    @Test
    void underVmapAndGradOfTheJittedFunction() {
        Jitted<Array, Array> f = Jax.jit(DOUBLED_IF_NON_NEGATIVE);
        Function<Array, Array> rows = Jax.vmap((UnaryOperator<Array>) f::apply);
        assertArrayEquals(new double[] {2, 4, 6, 8}, rows.apply(Array.of(new double[] {1, 2, 3, 4}, 2, 2)).toDoubleArray());
        assertThrows(EqxRuntimeError.class, () -> rows.apply(Array.of(new double[] {1, 2, 3, -4}, 2, 2)));
        Function<Array, Array> grad = Jax.grad((UnaryOperator<Array>) x -> Jnp.sum(f.apply(x)));
        assertArrayEquals(new double[] {2, 2}, grad.apply(Array.of(0.5, 1.5)).toDoubleArray());
        assertThrows(EqxRuntimeError.class, () -> grad.apply(Array.of(0.5, -1.5)));
    }
}
