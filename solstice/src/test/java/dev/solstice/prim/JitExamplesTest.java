package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.core.Interpreters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every primitive's examples ({@link Examples}) under {@code Jax.jit} give bit for bit what eager evaluation gives
 * (the staged program runs the same kernels; -0.0 and NaN are compared as bits too), with one trace for two calls.
 */
class JitExamplesTest {

    @TestFactory
    Stream<DynamicTest> jitEqualsEagerOnEveryExample() {
        return Examples.REGISTRY.keySet().stream()
                .sorted(Comparator.comparing(Class::getSimpleName))
                .flatMap(c -> Examples.of(c).stream())
                .map(ex -> dynamicTest(ex.toString(), () -> check(ex)));
    }

    private static void check(Example ex) {
        Array[] eager = Interpreters.bind(ex.primitive(), ex.inputs());
        Jitted<List<Array>, List<Array>> jitted = Jax.jit(
                (List<Array> xs) -> List.of(Interpreters.bind(ex.primitive(), xs.toArray(Array[]::new))));
        List<Array> args = List.of(ex.inputs());
        for (int call = 0; call < 2; call++) {
            List<Array> staged = jitted.apply(args);
            assertEquals(eager.length, staged.size(), ex + ": number of outputs");
            for (int i = 0; i < eager.length; i++) {
                assertEquals(eager[i].aval(), staged.get(i).aval(), ex + ": output " + i);
                assertEquals(bits(eager[i]), bits(staged.get(i)), ex + ": output " + i + " differs from eager");
            }
        }
        assertEquals(1, jitted.traceCount(), ex + ": the second call reuses the trace");
    }

    /** The elements as exact bit patterns (float32 values convert to double exactly; NaNs canonical). */
    private static List<Long> bits(Array a) {
        List<Long> out = new ArrayList<>();
        for (double d : a.toDoubleArray()) {
            out.add(Double.doubleToLongBits(d));
        }
        return out;
    }
}
