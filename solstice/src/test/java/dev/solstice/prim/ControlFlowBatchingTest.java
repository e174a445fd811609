package dev.solstice.prim;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.ir.Program;
import dev.solstice.prim.Example.Domain;
import dev.solstice.transform.Cond;
import dev.solstice.transform.ScanLoop;
import dev.solstice.transform.Staging;
import dev.solstice.transform.While;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The batching part of the primitive contract ({@link BatchingCheck}: every set of batched operands and batch
 * axes, vmap of vmap, empty batches, and vmap composed with jvp and the pullback) for the control-flow primitives
 * {@link Cond}, {@link ScanLoop} and {@link While} (no reverse mode), which live in {@code transform} and hold staged programs.
 */
class ControlFlowBatchingTest {

    private static Program program(Function<Array[], Array[]> fn, Aval... avals) {
        return Staging.trace(fn, avals).program();
    }

    private static List<Example> examples() {
        Random r = new Random(41);
        Aval v3 = new Aval(DType.FLOAT64, 3);
        Program sinTimes = program(a -> new Array[] {Ops.mul(Ops.sin(a[0]), a[1])}, v3, v3);
        Program times = program(a -> new Array[] {Ops.mul(a[0], a[1])}, v3, v3);
        Program minus = program(a -> new Array[] {Ops.sub(a[0], Ops.exp(a[1]))}, v3, v3);
        Cond two = new Cond(List.of(sinTimes, times));
        Cond three = new Cond(List.of(sinTimes, times, minus));
        // scan body: (w, h, x) -> (h' = sin(h) * w + x, y = h * x)
        Program body = program(a -> new Array[] {Ops.add(Ops.mul(Ops.sin(a[1]), a[0]), a[2]), Ops.mul(a[1], a[2])},
                v3, v3, v3);
        List<Example> out = new ArrayList<>();
        for (int index : new int[] {0, 1}) {
            out.add(new Example(two, Array.scalar(index), Example.random(r, DType.FLOAT64, Domain.REAL, 3),
                    Example.random(r, DType.FLOAT64, Domain.REAL, 3)));
        }
        out.add(new Example(three, Array.scalar(2), Example.random(r, DType.FLOAT64, Domain.REAL, 3),
                Example.random(r, DType.FLOAT64, Domain.REAL, 3)));
        for (boolean reverse : new boolean[] {false, true}) {
            out.add(new Example(new ScanLoop(body, 1, 1, 4, reverse), Example.random(r, DType.FLOAT64, Domain.REAL, 3),
                    Example.random(r, DType.FLOAT64, Domain.REAL, 3), Example.random(r, DType.FLOAT64, Domain.REAL, 4, 3)));
        }
        // while (s < limit) { y = sin(y) * w; s += step }: operands limit; step, w; y, s (step > 0: it ends)
        Aval scalar = new Aval(DType.FLOAT64);
        Program pred = program(a -> new Array[] {Ops.lt(a[2], a[0])}, scalar, v3, scalar);
        Program step = program(a -> new Array[] {Ops.mul(Ops.sin(a[2]), a[1]), Ops.add(a[3], a[0])}, scalar, v3, v3,
                scalar);
        out.add(new Example(new While(pred, step, 1, 2), Example.random(r, DType.FLOAT64, Domain.POSITIVE),
                Example.random(r, DType.FLOAT64, Domain.POSITIVE), Example.random(r, DType.FLOAT64, Domain.REAL, 3),
                Example.random(r, DType.FLOAT64, Domain.REAL, 3), Example.random(r, DType.FLOAT64, Domain.REAL)));
        return out;
    }

    @TestFactory
    List<DynamicTest> batchingContract() {
        List<DynamicTest> tests = new ArrayList<>();
        int k = 0;
        for (Example ex : examples()) {
            String name = ex.primitive() + " #" + k++;
            for (BatchingCheck.Config c : BatchingCheck.configs(ex)) {
                tests.add(dynamicTest(name + " " + c, () -> BatchingCheck.check(ex, c)));
            }
            tests.add(dynamicTest(name + " empty batch", () -> BatchingCheck.checkEmpty(ex)));
            tests.add(dynamicTest(name + " nested", () -> {
                BatchingCheck.checkNested(ex, false);
                BatchingCheck.checkNested(ex, true);
            }));
            if (!(ex.primitive() instanceof While)) { // reverse mode is refused by while; its JVP is tested elsewhere
                tests.add(dynamicTest(name + " derivatives", () -> BatchingCheck.checkDerivatives(ex, new Random(7))));
            }
        }
        return tests;
    }
}
