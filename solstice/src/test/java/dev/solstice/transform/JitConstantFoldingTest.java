package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A jitted function's captured arrays are fixed for its trace: what depends on them alone is computed once. */
class JitConstantFoldingTest {
    private static final int N = 6;

    /** dot(W, eye) of a captured W is folded: the executable with the captures fixed runs fewer steps. */
    @Test
    void foldsAProductOfCapturedArraysIntoAConstant() {
        Array w = matrix(1);
        Array eye = Jnp.eye(DType.FLOAT64, N);
        UnaryOperator<Array> f = x -> Jnp.sin(Jnp.dot(w, eye).matmul(x)).mul(x);
        ClosedProgram cp = Staging.trace(a -> new Array[] {f.apply(a[0])}, new Aval[] {new Aval(DType.FLOAT64, N)});
        assertEquals(2, cp.consts().size(), cp.toString());
        DenseArray[] captured = cp.consts().toArray(DenseArray[]::new);
        DenseArray[] inputs = {captured[0], captured[1], (DenseArray) vector(2)};
        Program p = cp.program();
        JitExecution.fixCaptured(p, captured);
        int folded = JitExecution.executable(p, inputs).stepCount();
        DenseArray[] other = {(DenseArray) matrix(3), captured[1], inputs[2]};
        int unfolded = JitExecution.executable(p, other).stepCount();
        assertEquals(unfolded - 1, folded, "the product of the two captured arrays is no step of a run");
        assertBitwiseEqual(Jnp.sin(Jnp.dot(other[0], eye).matmul(inputs[2])).mul(inputs[2]),
                JitExecution.run(p, other)[0]); // other operands: computed from them, never from the folded ones

        Function<Array, Array> jitted = Jax.jit(f);
        Array x = vector(2);
        assertBitwiseEqual(f.apply(x), jitted.apply(x));
        assertBitwiseEqual(f.apply(x), jitted.apply(x));
    }

    /** The hessian of sum(sin(W x)) with W captured (dot(W, eye) inside) equals the eager one bitwise. */
    @Test
    void jittedHessianWithCapturedMatrixEqualsEager() {
        Array w = matrix(4);
        Function<Array, Array> h = Jax.hessian(x -> Jnp.sum(Jnp.sin(w.matmul(x))));
        Function<Array, Array> jitted = Jax.jit(h);
        for (int seed = 5; seed < 8; seed++) {
            assertBitwiseEqual(h.apply(vector(seed)), jitted.apply(vector(seed)));
        }
        assertBitwiseEqual(Jax.grad((Array x) -> Jnp.sum(jitted.apply(x))).apply(vector(9)),
                Jax.grad((Array x) -> Jnp.sum(h.apply(x))).apply(vector(9)));
    }

    /**
     * A captured array that differs between two traces (the static argument differs) is never stale: each trace
     * folds its own, and calling the first signature again still gives what it captured then.
     */
    @Test
    void eachTraceFoldsTheArrayItCaptured() {
        Array[] held = {matrix(10)};
        Array eye = Jnp.eye(DType.FLOAT64, N);
        Function<List<Object>, Array> f = a -> Jnp.dot(held[0], eye).matmul((Array) a.get(0))
                .mul((double) (Integer) a.get(1));
        StagedFunction<List<Object>, Array> jitted = new StagedFunction<>("f", f, StagedFunction.Mode.FILTER,
                Set.of(), 8);
        Array x = vector(11);
        Array first = f.apply(List.of(x, 1));
        assertBitwiseEqual(first, jitted.apply(List.of(x, 1)));
        held[0] = matrix(12);
        Array second = f.apply(List.of(x, 2));
        assertBitwiseEqual(second, jitted.apply(List.of(x, 2)));
        assertBitwiseEqual(first, jitted.apply(List.of(x, 1)));
        assertEquals(2, jitted.traceCount());
        double reference = 0; // second[0] by a float64 loop over the new matrix, to the rounding of the product
        for (int k = 0; k < N; k++) {
            reference += 2 * held[0].toDoubleArray()[k] * x.toDoubleArray()[k];
        }
        assertEquals(reference, second.toDoubleArray()[0], 1e-12);
    }

    private static Array matrix(long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] d = new double[N * N];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Array.of(d, N, N);
    }

    private static Array vector(long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] d = new double[N];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Array.of(d);
    }

    private static void assertBitwiseEqual(Array expected, Array actual) {
        String diff = dev.solstice.jit.JitTesting.difference((DenseArray) expected, (DenseArray) actual);
        assertTrue(diff == null, diff);
    }
}
