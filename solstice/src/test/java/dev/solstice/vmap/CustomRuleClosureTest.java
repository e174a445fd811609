package dev.solstice.vmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.CustomVjpFwd;
import dev.solstice.Jax;
import dev.solstice.JvpResult;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Custom-rule functions that close over traced values: under vmap they run with the batch understood;
 * differentiating with respect to a closed-over value is refused with JAX's advice (pass it as an argument).
 */
class CustomRuleClosureTest {

    private static Function<Array, Array> scaledSin(Array c) {
        return Jax.customJvp(y -> Jnp.sin(y.mul(c)), (y, t) -> new JvpResult<>(Jnp.sin(y.mul(c)), t.mul(c).mul(Jnp.cos(y.mul(c)))));
    }

    @Test
    void vmapOverAClosedOverValue() {
        Array cs = Array.of(0.5, 1.0, 2.0);
        Array x0 = Array.scalar(0.3);
        Array out = Jax.vmap((Array c) -> scaledSin(c).apply(x0)).apply(cs);
        assertArrayEquals(new double[] {Math.sin(0.15), Math.sin(0.3), Math.sin(0.6)}, out.toDoubleArray(), 1e-15);
        // and a customVjp closing over the batch
        Function<Array, Array> byVjp = c -> Jax.customVjp(y -> y.mul(c), y -> new CustomVjpFwd(y.mul(c)), (r, g) -> g.mul(c))
                .apply(x0);
        assertArrayEquals(new double[] {0.15, 0.3, 0.6}, Jax.vmap(byVjp::apply).apply(cs).toDoubleArray(), 1e-15);
        // the derivative with respect to the explicit argument still uses the rule, per example
        Array g = Jax.vmap((Array c) -> Jax.grad((Array y) -> scaledSin(c).apply(y)).apply(x0)).apply(cs);
        assertArrayEquals(new double[] {0.5 * Math.cos(0.15), Math.cos(0.3), 2 * Math.cos(0.6)}, g.toDoubleArray(), 1e-15);
    }

    @Test
    void differentiatingWithRespectToAClosedOverValueIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.grad((Array c) -> scaledSin(c).apply(Array.scalar(0.3))).apply(Array.scalar(2.0)));
        assertTrue(e.getMessage().contains("closes over") && e.getMessage().contains("argument"), e.getMessage());
    }

    @Test
    void customRulesWithoutClosuresKeepTheirConventionsUnderNesting() {
        // relu's custom rule must survive being called inside an inner transformation on an outer value
        Array x = Array.scalar(0.0);
        double d = Jax.grad((Array a) -> Jax.grad((Array b) -> b.mul(Nn.relu(a))).apply(Array.scalar(1.0))).apply(x).item();
        assertEquals(0.0, d, 0.0);
        double v = Jax.grad((Array a) -> Jnp.sum(Jax.vmap((Array b) -> Nn.relu(a).mul(b)).apply(Array.of(1.0, 2.0)))).apply(x).item();
        assertEquals(0.0, v, 0.0);
    }
}
