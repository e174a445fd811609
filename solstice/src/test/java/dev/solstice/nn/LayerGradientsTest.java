package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.testing.Numeric;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every layer: the output shape, the gradient with respect to the input and to all parameters against
 * central differences in a random direction (float64), and vmap against the loop over examples.
 */
class LayerGradientsTest {

    private static ConvSpec spec(int n, int stride, Padding p, int dilation, int groups) {
        return new ConvSpec(new int[] {stride}, p, new int[] {dilation}, groups, "ZEROS", new int[] {0});
    }

    static Stream<Arguments> layers() {
        DType f = DType.FLOAT64;
        Array k = Prng.key(42);
        return Stream.of(
                Arguments.of("Linear", new Linear(5, 3, true, f, k), new int[] {5}, new int[] {3}),
                Arguments.of("MLP", new MLP(5, 2, 4, 2, Jnp::tanh, Nn::softplus, true, true, f, k), new int[] {5}, new int[] {2}),
                Arguments.of("Conv1d", new Conv1d(2, 3, new int[] {3}, spec(1, 2, Padding.SAME, 1, 1), true, f, k), new int[] {2, 7}, new int[] {3, 4}),
                Arguments.of("Conv2d groups", new Conv2d(4, 2, new int[] {2, 3}, spec(2, 1, Padding.VALID, 1, 2), true, f, k),
                        new int[] {4, 5, 5}, new int[] {2, 4, 3}),
                Arguments.of("Conv3d dilated", new Conv3d(1, 2, new int[] {2}, spec(3, 1, Padding.VALID, 2, 1), true, f, k),
                        new int[] {1, 4, 4, 4}, new int[] {2, 2, 2, 2}),
                Arguments.of("ConvTranspose1d", new ConvTranspose1d(2, 2, new int[] {3}, new ConvSpec(new int[] {2},
                        Padding.of(new int[] {1}, new int[] {1}), new int[] {1}, 1, "ZEROS", new int[] {1}), true, f, k),
                        new int[] {2, 4}, new int[] {2, 8}),
                Arguments.of("ConvTranspose2d", new ConvTranspose2d(1, 2, 2, k), null, null),
                Arguments.of("MaxPool2d", new MaxPool2d(new int[] {2}, new int[] {1}, Padding.of(0, 2), false), new int[] {2, 4, 4}, new int[] {2, 3, 3}),
                Arguments.of("AvgPool1d", new AvgPool1d(new int[] {3}, new int[] {2}, Padding.of(1, 1), false), new int[] {2, 7}, new int[] {2, 4}),
                Arguments.of("AdaptiveAvgPool2d", new AdaptiveAvgPool2d(new int[] {2, 3}), new int[] {2, 5, 6}, new int[] {2, 2, 3}),
                Arguments.of("AdaptiveMaxPool1d", new AdaptiveMaxPool1d(3), new int[] {1, 7}, new int[] {1, 3}),
                Arguments.of("LayerNorm", new LayerNorm(new int[] {3, 2}, 1e-5, true, true, f), new int[] {3, 2}, new int[] {3, 2}),
                Arguments.of("RMSNorm", new RMSNorm(new int[] {4}, 1e-5, true, true, f), new int[] {4}, new int[] {4}),
                Arguments.of("GroupNorm", new GroupNorm(2, 4, 1e-5, true, f), new int[] {4, 3}, new int[] {4, 3}),
                Arguments.of("PReLU", new PReLU(0.3, f), new int[] {5}, new int[] {5}),
                Arguments.of("WeightNorm", WeightNorm.of(new Linear(3, 2, true, f, k)), new int[] {3}, new int[] {2}),
                Arguments.of("Sequential", new Sequential(new Linear(3, 4, true, f, k), new Lambda(Jnp::tanh), new Linear(4, 2, true, f, k)),
                        new int[] {3}, new int[] {2}));
    }

    private static Array input(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(1.7 * i + 0.3) + 0.1 * i % 3;
        }
        return Array.of(v, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void shapesGradientsAndBatching(String name, Layer layer, int[] inShape, int[] outShape) {
        if (inShape == null) {
            // float32 default constructor: just the shape
            assertArrayEquals(new int[] {2, 5, 5}, layer.apply(Jnp.ones(DType.FLOAT32, 1, 4, 4)).shape(), name);
            return;
        }
        Array x = input(inShape);
        Array y = layer.apply(x);
        assertArrayEquals(outShape, y.shape(), name + " output shape");
        Array w = input(outShape).mul(0.5).add(0.25);
        // with respect to the input
        Function<Array, Array> ofInput = z -> Jnp.sum(Jnp.multiply(w, layer.apply(z)));
        Array dir = Prng.normal(Prng.key(7), inShape, DType.FLOAT64);
        double fd = Numeric.centralDifference(ofInput, x, dir, 1e-4)[0];
        double ad = Numeric.dot(Jax.grad(ofInput::apply).apply(x), dir);
        assertEquals(fd, ad, 1e-7 * Math.max(1, Math.abs(fd)), name + " d/dx");
        // with respect to every parameter at once, through the raveled parameters
        List<Array> params = Tree.leaves(layer);
        if (!params.isEmpty()) {
            Tree.Raveled<Layer> r = Tree.ravel(layer);
            Function<Array, Array> ofParams = p -> Jnp.sum(Jnp.multiply(w, r.unravel().apply(p).apply(x)));
            Array pdir = Prng.normal(Prng.key(8), new int[] {r.flat().size()}, DType.FLOAT64);
            double pfd = Numeric.centralDifference(ofParams, r.flat(), pdir, 1e-4)[0];
            Layer g = Eqx.filterGrad((Layer m) -> Jnp.sum(Jnp.multiply(w, m.apply(x)))).apply(layer);
            double pad = Numeric.dot(Tree.ravel(g).flat(), pdir);
            assertEquals(pfd, pad, 1e-7 * Math.max(1, Math.abs(pfd)), name + " d/dparams");
        }
        // vmap over a batch of three inputs equals the loop
        Array xs = Jnp.stack(List.of(x, x.mul(-0.5), x.add(0.3)), 0);
        Array ys = Jax.vmap(layer::apply).apply(xs);
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(layer.apply(xs.get(b)).toDoubleArray(), ys.get(b).toDoubleArray(), 1e-12, name + " vmap " + b);
        }
    }
}
