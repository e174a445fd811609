package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive pooling, PReLU, Linear and stateful models, each against the expected values of the Equinox test
 * named in its comment ({@code tests/test_nn.py}, {@code tests/test_serialisation.py}).
 */
class EquinoxLayerValuesTest {

    /** {@code 0, 1, ...} as float64 of the given shape (Equinox's {@code jnp.arange(n).reshape(shape)}). */
    private static Array range(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Array.of(v, shape);
    }

    private static void assertPool(double[] expected, int[] shape, Layer pool, Array x) {
        Array y = pool.apply(x);
        assertArrayEquals(shape, y.shape(), pool.toString());
        assertArrayEquals(expected, y.toDoubleArray(), 0, pool.toString());
    }

    // Equinox: test_adaptive_avgpool1d, test_adaptive_maxpool1d
    @Test
    void adaptivePooling1dSplitsAsEquinox() {
        Array x = range(1, 14);
        assertPool(new double[] {1.5, 5.5, 9.0, 12.0}, new int[] {1, 4}, new AdaptiveAvgPool1d(4), x);
        assertPool(new double[] {3, 7, 10, 13}, new int[] {1, 4}, new AdaptiveMaxPool1d(4), x);
        assertPool(x.toDoubleArray(), new int[] {1, 14}, new AdaptiveAvgPool1d(14), x);
        assertPool(x.toDoubleArray(), new int[] {1, 14}, new AdaptiveMaxPool1d(14), x);
    }

    // Equinox: test_adaptive_avgpool2d, test_adaptive_maxpool2d
    @Test
    void adaptivePooling2dSplitsAsEquinox() {
        Array x = range(1, 3, 4);
        assertPool(new double[] {2.5, 4, 5, 8.5, 10, 11}, new int[] {1, 2, 3}, new AdaptiveAvgPool2d(new int[] {2, 3}), x);
        assertPool(new double[] {5, 6, 7, 9, 10, 11}, new int[] {1, 2, 3}, new AdaptiveMaxPool2d(new int[] {2, 3}), x);
        assertPool(x.toDoubleArray(), new int[] {1, 3, 4}, new AdaptiveAvgPool2d(new int[] {3, 4}), x);
        assertPool(x.toDoubleArray(), new int[] {1, 3, 4}, new AdaptiveMaxPool2d(new int[] {3, 4}), x);
    }

    // Equinox: test_adaptive_avgpool3d, test_adaptive_maxpool3d
    @Test
    void adaptivePooling3dSplitsAsEquinox() {
        Array x = range(1, 3, 2, 3);
        assertPool(new double[] {4.5, 5.5, 6.5, 13.5, 14.5, 15.5}, new int[] {1, 2, 1, 3},
                new AdaptiveAvgPool3d(new int[] {2, 1, 3}), x);
        assertPool(new double[] {9, 10, 11, 15, 16, 17}, new int[] {1, 2, 1, 3}, new AdaptiveMaxPool3d(new int[] {2, 1, 3}), x);
        assertPool(x.toDoubleArray(), new int[] {1, 3, 2, 3}, new AdaptiveAvgPool3d(new int[] {3, 2, 3}), x);
        assertPool(x.toDoubleArray(), new int[] {1, 3, 2, 3}, new AdaptiveMaxPool3d(new int[] {3, 2, 3}), x);
    }

    // Equinox: test_prelu (an int32 input; Equinox's slope is float32, so the output is float32)
    @Test
    void preluOfAnIntegerInputComputesInTheSlopesFloatingType() {
        Array x = Array.of(new int[] {-1, -2, -3, -1, 2, 3}, 2, 3);
        Array single = new PReLU(0.1).apply(x);
        assertEquals(DType.FLOAT32, single.dtype());
        assertArrayEquals(new float[] {-0.1f, -0.2f, -0.3f, -0.1f, 2, 3}, single.toFloatArray(), 0f);
        Array perChannel = new PReLU(Array.of(0.2f, 0.1f, 0.1f)).apply(x);
        assertEquals(DType.FLOAT32, perChannel.dtype());
        assertArrayEquals(new float[] {-0.2f, -0.2f, -0.3f, -0.2f, 2, 3}, perChannel.toFloatArray(), 0f);
        // Equinox's slope is a scalar array, so a scalar input gives a scalar output
        assertArrayEquals(new int[0], new PReLU().negativeSlope().shape());
        assertArrayEquals(new int[0], new PReLU().apply(Array.scalar(-2f)).shape());
    }

    // Equinox: test_linear ("Zero input shape", "Zero output shape")
    @Test
    void linearWithZeroFeatures() {
        Linear noInputs = new Linear(0, 4, Prng.key(1));
        assertArrayEquals(new int[] {4, 0}, noInputs.weight().shape());
        assertArrayEquals(new int[] {4}, noInputs.apply(Jnp.zeros(DType.FLOAT32, 0)).shape());
        Linear noOutputs = new Linear(4, 0, Prng.key(2));
        assertArrayEquals(new int[] {0}, noOutputs.apply(Jnp.ones(DType.FLOAT32, 4)).shape());
    }

    /** Equinox's test_stateful model: two batch norms. */
    record TwoNorms(BatchNorm norm1, BatchNorm norm2) {
        static TwoNorms make() {
            return new TwoNorms(new BatchNorm(3, "hi"), new BatchNorm(4, "bye"));
        }
    }

    // Equinox: test_serialisation.py::test_stateful (a model and state saved, then loaded into a second,
    // freshly built model and state)
    @Test
    void aModelAndStateLoadIntoAFreshlyBuiltOne(@TempDir Path dir) throws Exception {
        ModelAndState<TwoNorms> first = Eqx.makeWithState(TwoNorms.make());
        State changed = first.state().set(first.model().norm2().stateIndex(),
                List.of(Jnp.full(DType.FLOAT32, 0.5, 4), Jnp.full(DType.FLOAT32, 2.0, 4)));
        Path file = dir.resolve("model.safetensors");
        Eqx.treeSerialiseLeaves(file, List.of(first.model(), changed));
        ModelAndState<TwoNorms> second = Eqx.makeWithState(TwoNorms.make());
        List<Object> loaded = Eqx.treeDeserialiseLeaves(file, List.of(second.model(), second.state()));
        TwoNorms model = (TwoNorms) loaded.get(0);
        State state = (State) loaded.get(1);
        List<Array> stats = state.get(model.norm2().stateIndex());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, stats.get(0).toFloatArray(), 0f);
        assertArrayEquals(new float[] {2, 2, 2, 2}, stats.get(1).toFloatArray(), 0f);
        assertArrayEquals(first.model().norm1().weight().toFloatArray(), model.norm1().weight().toFloatArray(), 0f);
    }
}
