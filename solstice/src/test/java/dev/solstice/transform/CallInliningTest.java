package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Inlining nested jit calls and custom-rule calls before compilation keeps every value and removes every call; a
 * remat is kept.
 */
class CallInliningTest {

    @Test
    void nestedJitAndCustomRuleCallsAreSplicedInAndValuesAreKept() {
        Function<Array, Array> inner = Jax.jit((UnaryOperator<Array>) x -> Nn.relu(x.mul(Array.scalar(3.0))));
        Array c = Array.of(0.5, -0.25, 2.0);
        Function<Array[], Array[]> f = a -> new Array[] {
            Jnp.sum(inner.apply(a[0]).add(c)), inner.apply(Jnp.sin(a[0])), a[0]};
        ClosedProgram cp = Staging.trace(f, new Aval[] {new Aval(DType.FLOAT64, 3)});
        Program p = cp.program();
        assertNotEquals(0, calls(p), "the traced program holds the calls: " + p);
        Program inlined = CallInlining.inline(p);
        assertEquals(0, calls(inlined), inlined.toString());
        Array x = Array.of(-1.0, 0.0, 0.75);
        Array[] args = cp.consts().toArray(Array[]::new);
        args = java.util.Arrays.copyOf(args, args.length + 1);
        args[args.length - 1] = x;
        Array[] want = p.evaluate(args);
        Array[] got = inlined.evaluate(args);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i].toDoubleArray(), got[i].toDoubleArray());
        }
        assertEquals(0 + 0.5 + 0 - 0.25 + 2.25 + 2.0, got[0].item(), 1e-15); // sum(relu(3x) + c), by hand
        assertArrayEquals(new double[] {0, 0, 3 * Math.sin(0.75)}, got[1].toDoubleArray(), 1e-15); // relu(3 sin x)
    }

    @Test
    void aRematIsNeverInlinedSoItsRecomputationStaysOutOfTheForwardPass() {
        Function<Array, Array> f = Jax.checkpoint((Array x) -> Jnp.tanh(Jnp.sin(x)));
        ClosedProgram cp = Staging.trace(a -> new Array[] {Jax.grad((Array x) -> f.apply(x).sum()).apply(a[0])},
                new Aval[] {new Aval(DType.FLOAT64, 3)});
        Program inlined = CallInlining.inline(cp.program());
        long remats = inlined.eqns().stream().filter(e -> e.primitive() instanceof Remat).count();
        assertEquals(1, remats, "the backward pass stays a remat: " + inlined);
        // the forward pass (inlined) computes sin and tanh once; the remat recomputes them in its own program
        assertEquals(1, inlined.eqns().stream().filter(e -> e.primitive().name().equals("tanh")).count(),
                inlined.toString());
    }

    private static long calls(Program p) {
        return p.eqns().stream().map(Eqn::primitive)
                .filter(q -> q instanceof JitCall || q.name().startsWith("custom_")).count();
    }
}
