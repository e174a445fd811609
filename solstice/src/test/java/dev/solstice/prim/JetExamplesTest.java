package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.JetOracles;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every primitive has a Taylor rule: for each float64 example of the primitive contract's registry with a float64
 * operand and a float64 output, Jax.jet of {@code p} (its float64 operands as one vector, with a random series;
 * its floating outputs flattened into one vector) equals nested jvp along the same path, to order 6. Where the
 * primitive has no derivative at the example (nested jvp refuses it), jet must refuse it too.
 */
class JetExamplesTest {
    private static final int ORDER = 6;

    @TestFactory
    Stream<DynamicTest> everyPrimitiveMatchesNestedJvp() {
        List<DynamicTest> tests = new ArrayList<>();
        List<Map.Entry<Class<? extends Primitive>, Supplier<List<Example>>>> entries =
                new ArrayList<>(Examples.REGISTRY.entrySet());
        entries.sort(Comparator.comparing(e -> e.getKey().getSimpleName()));
        for (Map.Entry<Class<? extends Primitive>, Supplier<List<Example>>> e : entries) {
            List<Example> examples = e.getValue().get();
            for (int i = 0; i < examples.size(); i++) {
                Example ex = examples.get(i);
                if (hasSeries(ex)) {
                    int seed = 31 * i + e.getKey().getSimpleName().hashCode();
                    tests.add(dynamicTest(ex.primitive().name() + " example " + i, () -> check(ex, new Random(seed))));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    /**
     * A float64 operand to move and a floating output to follow, all float64 (a float32 output would round the
     * series) and finite (the registry's special values, poles and infinities, have no series to compare).
     */
    private static boolean hasSeries(Example ex) {
        boolean in = false;
        for (Array x : ex.inputs()) {
            in |= x.dtype() == DType.FLOAT64;
        }
        boolean out = false;
        for (Array y : Interpreters.bind(ex.primitive(), ex.inputs())) {
            if (y.dtype().isFloating()) {
                out = true;
                if (y.dtype() != DType.FLOAT64 || !allFinite(y)) {
                    return false;
                }
            }
        }
        return in && out;
    }

    private static boolean allFinite(Array y) {
        for (double v : y.toDoubleArray()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The float64 operands as one vector {@code v}; {@code v -> p(operands of v)}, floating outputs flattened. */
    private static void check(Example ex, Random random) {
        Primitive p = ex.primitive();
        Array[] x0 = ex.inputs();
        List<Array> moved = new ArrayList<>();
        for (Array x : x0) {
            if (x.dtype() == DType.FLOAT64) {
                moved.add(Jnp.ravel(x));
            }
        }
        UnaryOperator<Array> f = v -> {
            Array[] x = x0.clone();
            int offset = 0;
            for (int i = 0; i < x.length; i++) {
                if (x[i].dtype() == DType.FLOAT64) {
                    int n = x[i].size();
                    x[i] = Jnp.reshape(Lax.slice(v, new int[] {offset}, new int[] {offset + n}, new int[] {1}),
                            x[i].shape());
                    offset += n;
                }
            }
            List<Array> flat = new ArrayList<>();
            for (Array y : Interpreters.bind(p, x)) {
                if (y.dtype().isFloating()) {
                    flat.add(Jnp.ravel(y));
                }
            }
            return Lax.concatenate(0, flat.toArray(Array[]::new));
        };
        Array v0 = Lax.concatenate(0, moved.toArray(Array[]::new));
        List<Array> series = new ArrayList<>();
        for (int k = 0; k < ORDER; k++) {
            series.add(JetOracles.gaussian(random, 0.3, v0.size()));
        }
        String what = p + " on " + shapes(x0);
        try {
            JetOracles.nestedJvp(f, v0, series, 1);
        } catch (UnsupportedOperationException noDerivative) {
            assertThrows(UnsupportedOperationException.class, () -> Jax.jet(f, v0, series), what);
            return;
        }
        JetOracles.assertJetMatchesNestedJvp(what, f, v0, series, 1e-9);
    }

    private static String shapes(Array[] xs) {
        StringBuilder s = new StringBuilder();
        for (Array x : xs) {
            s.append(s.isEmpty() ? "" : ", ").append(x.aval().str());
        }
        return s.toString();
    }
}
