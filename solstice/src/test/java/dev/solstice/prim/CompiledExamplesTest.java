package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.jit.Executable;
import dev.solstice.jit.JitTesting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every primitive's examples compiled as a one-equation program (elementwise ones through a generated kernel
 * of their own) give exactly the eager results, bit for bit.
 */
class CompiledExamplesTest {

    @Test
    void everyExampleCompiledEqualsEagerBitwise() {
        int fused = 0;
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Class<? extends Primitive>, Supplier<List<Example>>> entry : Examples.REGISTRY.entrySet()) {
            for (Example ex : entry.getValue().get()) {
                Var[] in = new Var[ex.inputs().length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = new Var(ex.inputs()[i].aval(), i);
                }
                DenseArray[] args = Arrays.stream(ex.inputs()).map(Array::concrete).toArray(DenseArray[]::new);
                Aval[] outAvals;
                try {
                    outAvals = ex.primitive().shapeRule(Arrays.stream(in).map(Var::aval).toArray(Aval[]::new));
                } catch (RuntimeException e) {
                    continue; // an example of bad input
                }
                Var[] out = new Var[outAvals.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = new Var(outAvals[i], in.length + i);
                }
                Eqn eqn = new Eqn(ex.primitive(), in, out);
                Program p = new Program(List.of(in), List.of(eqn), List.<Atom>of(out));
                Array[] expected;
                try {
                    expected = p.evaluate(args);
                } catch (RuntimeException e) {
                    continue; // needs a context the eval interpreter alone does not give (a named axis...)
                }
                Executable compiled = JitTesting.compileFusingSingles(p);
                if (JitTesting.fusible(eqn)) {
                    assertEquals(1, compiled.kernelCount(), ex + " should run a generated kernel");
                    fused++;
                }
                DenseArray[] actual = compiled.run(args);
                for (int i = 0; i < out.length; i++) {
                    String diff = JitTesting.difference((DenseArray) expected[i], actual[i]);
                    if (diff != null) {
                        failures.add(ex + " output " + i + ": " + diff);
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(fused > 100, "only " + fused + " examples ran through generated kernels");
    }
}
