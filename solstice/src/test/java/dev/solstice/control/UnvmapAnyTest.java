package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.core.DenseArray;
import dev.solstice.prim.UnvmapAny;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * unvmap_any against Java's any over the elements and over the examples: its result is a scalar that is not
 * batched under vmap (vmap of vmap too), so a cond on it runs one branch for the whole batch.
 */
class UnvmapAnyTest {

    private static Array bools(boolean... b) {
        return DenseArray.ofBools(b, b.length);
    }

    @Test
    void anyOverTheElements() {
        assertEquals(1.0, UnvmapAny.of(bools(false, true, false)).item());
        assertEquals(0.0, UnvmapAny.of(bools(false, false)).item());
        assertEquals(0.0, UnvmapAny.of(bools()).item(), "empty: none holds");
        assertEquals(1.0, UnvmapAny.of(Jnp.greater(Array.scalar(2.0), 1.0)).item());
        assertEquals(0, UnvmapAny.of(bools(true)).ndim());
    }

    @Test
    void underVmapItReducesAcrossTheExamplesAndIsNotBatched() {
        double[][] cases = {{-1, -2, 3}, {-1, -2, -3}, {5}};
        for (double[] xs : cases) {
            boolean want = java.util.Arrays.stream(xs).anyMatch(x -> x > 0);
            // out axes null: the result must not vary over the batch, or vmap refuses it
            Array got = Jax.vmap((Array x) -> UnvmapAny.of(Jnp.greater(x, 0.0)), 0, null).apply(Array.of(xs));
            assertEquals(want ? 1.0 : 0.0, got.item(), java.util.Arrays.toString(xs));
            Array jitted = Jax.jit(Jax.vmap((Array x) -> UnvmapAny.of(Jnp.greater(x, 0.0)), 0, null))
                    .apply(Array.of(xs));
            assertEquals(want ? 1.0 : 0.0, jitted.item(), "jit " + java.util.Arrays.toString(xs));
        }
        // vmap of vmap: any over both batches
        Array m = Array.of(new double[] {-1, -2, -3, 4}).reshape(2, 2);
        Array nested = Jax.vmap((Array row) -> Jax.vmap((Array x) -> UnvmapAny.of(Jnp.greater(x, 0.0)), 0, null)
                .apply(row), 0, null).apply(m);
        assertEquals(1.0, nested.item());
        // per example, a batched value still varies: each example gets the same (unbatched) flag
        Array flags = Jax.vmap((Array x) -> Jnp.where(UnvmapAny.of(Jnp.greater(x, 3.0)), x, x.mul(0.0)))
                .apply(Array.of(new double[] {1, 4}));
        assertEquals(java.util.List.of(1.0, 4.0), java.util.Arrays.stream(flags.toDoubleArray()).boxed().toList());
    }

    @Test
    void aCondOnItRunsOneBranchForTheWholeBatch() {
        CountingIdentity counter = new CountingIdentity();
        UnaryOperator<Array> f = x -> Lax.cond(UnvmapAny.of(Jnp.greater(x, 100.0)), (Array y) -> counter.apply(y),
                (Array y) -> y.mul(2.0), x);
        Array out = Jax.vmap(f).apply(Array.of(new double[] {1, 2, 3}));
        assertEquals(java.util.List.of(2.0, 4.0, 6.0), java.util.Arrays.stream(out.toDoubleArray()).boxed().toList());
        assertEquals(0, counter.evaluations(), "the untaken branch is not run");
    }

    @Test
    void itHasNoDerivativeAndDoesNotStopOne() {
        // d/dx of (any(x > 0) ? x^2 : -x) = 2x where some example is positive
        UnaryOperator<Array> f = x -> Jnp.where(UnvmapAny.of(Jnp.greater(x, 0.0)), x.mul(x), x.neg());
        assertEquals(6.0, Jax.grad(f).apply(Array.scalar(3.0)).item());
        assertEquals(-1.0, Jax.grad(f).apply(Array.scalar(-3.0)).item());
        assertEquals(6.0, Jax.jvp(f, Array.scalar(3.0), Array.scalar(1.0)).tangent().item());
    }

    @Test
    void nonBoolInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnvmapAny.of(Array.of(new double[] {1, 2})));
        assertTrue(e.getMessage().contains("unvmap_any") && e.getMessage().contains("float64"), e.getMessage());
    }
}
