package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose as Equinox computes it. The expected values are those of Equinox's own tests
 * ({@code tests/test_nn.py}), which Equinox computes with an unflipped kernel; the transposition tests check
 * Equinox's documented relation (with the weight flipped and its first two axes swapped by the user, a
 * ConvTranspose is the transpose of the Conv) against the vjp of the Conv.
 */
class ConvTransposeEquinoxTest {
    private static final Array KEY = Prng.key(0);

    /** {@code start, start+1, ...} as float32 of the given shape. */
    private static Array range(int start, int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return Array.of(v, shape);
    }

    private static ConvSpec spec(int stride, Padding padding, int dilation, int groups, String mode, int outputPadding) {
        return new ConvSpec(new int[] {stride}, padding, new int[] {dilation}, groups, mode, new int[] {outputPadding});
    }

    private static ConvSpec strided(int n) {
        return spec(2, Padding.of(1, n), 2, 1, "ZEROS", 1);
    }

    private static Array det(int n, double phase, int... shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(0.7 * i + phase) + 0.1 * i;
        }
        return Array.of(v, shape);
    }

    /** Equinox's FAQ recipe: the Conv weight flipped along its spatial axes, out and in channels swapped. */
    private static Array transposedWeight(Array convWeight) {
        int n = convWeight.ndim();
        int[] spatial = new int[n - 2];
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i < 2 ? 1 - i : i;
            if (i >= 2) {
                spatial[i - 2] = i;
            }
        }
        return Jnp.transpose(Lax.rev(convWeight, spatial), perm);
    }

    // Equinox: test_convtranspose1d ("Test value matches")
    @Test
    void values1dAreEquinoxs() {
        ConvTranspose1d init = new ConvTranspose1d(1, 3, 3, KEY);
        ConvTranspose1d t = new ConvTranspose1d(range(0, 3, 1, 3), Array.of(new float[] {1, 2, 3}, 3, 1), init.spec());
        float[] answer = {-5, -6, -3, 0, 3, 6, 3, 1, -13, -20, -20, -8, 4, 16, 13, 8, -21, -34, -37, -16, 5, 26, 23, 15};
        Array y = t.apply(range(-3, 1, 6));
        assertArrayEquals(new int[] {3, 8}, y.shape());
        assertArrayEquals(answer, y.toFloatArray(), 0f);
    }

    // Equinox: test_convtranspose2d ("Test value matches" and "Test groups")
    @Test
    void values2dAndGroupedAreEquinoxs() {
        ConvSpec pad1 = new ConvSpec(new int[] {1}, Padding.of(1, 2), new int[] {1}, 1, "ZEROS", new int[] {0});
        ConvTranspose2d init = new ConvTranspose2d(1, 1, new int[] {3}, pad1, true, DType.FLOAT32, KEY);
        ConvTranspose2d t = new ConvTranspose2d(range(0, 1, 1, 3, 3), Array.of(new float[] {1}, 1, 1, 1), init.spec());
        assertArrayEquals(new float[] {-37, -31, -9, 25, 61, 49, 23, 41, 27}, t.apply(range(-4, 1, 3, 3)).toFloatArray(), 0f);

        ConvSpec grouped = new ConvSpec(new int[] {1}, Padding.of(1, 2), new int[] {1}, 2, "ZEROS", new int[] {0});
        ConvTranspose2d g0 = new ConvTranspose2d(2, 2, new int[] {3}, grouped, true, DType.FLOAT32, KEY);
        Array w = Jnp.concatenate(List.of(range(0, 1, 1, 3, 3), Jnp.multiply(range(0, 1, 1, 3, 3), 2.0)), 0);
        ConvTranspose2d g = new ConvTranspose2d(w, Array.of(new float[] {1, 2}, 2, 1, 1), g0.spec());
        float[] part = {-38, -32, -10, 24, 60, 48, 22, 40, 26};
        float[] answer = new float[18];
        for (int i = 0; i < 9; i++) {
            answer[i] = part[i] + 1;
            answer[9 + i] = 2 * part[i] + 2;
        }
        Array data = Jnp.broadcastTo(range(-4, 1, 3, 3), 2, 3, 3);
        assertArrayEquals(answer, g.apply(data).toFloatArray(), 1e-5f);
    }

    // Equinox: test_convtranspose3d ("Test value matches")
    @Test
    void values3dAreEquinoxs() {
        ConvTranspose3d init = new ConvTranspose3d(1, 1, 2, KEY);
        ConvTranspose3d t = new ConvTranspose3d(range(0, 1, 1, 2, 2, 2), Array.of(new float[] {1}, 1, 1, 1, 1), init.spec());
        float[] answer = {-27, -44, -17, -33, -49, -17, -9, -12, -3, -11, -9, 1, 5, 29, 21, 9, 23, 13, 1, 4, 3, 7, 15, 7,
            3, 4, 1};
        Array y = t.apply(range(-4, 1, 2, 2, 2));
        assertArrayEquals(new int[] {1, 3, 3, 3}, y.shape());
        assertArrayEquals(answer, y.toFloatArray(), 0f);
    }

    // Equinox: test_convtranspose1d/2d/3d ("Positional arguments", "Test stride and dilation") and
    // test_convtranspose_padding (an explicit padding larger than the dilated kernel crops the output)
    @Test
    void shapesAreEquinoxs() {
        assertArrayEquals(new int[] {3, 34}, new ConvTranspose1d(1, 3, 3, KEY).apply(Jnp.ones(DType.FLOAT32, 1, 32)).shape());
        assertArrayEquals(new int[] {3, 34, 34}, new ConvTranspose2d(1, 3, 3, KEY).apply(Jnp.ones(DType.FLOAT32, 1, 32, 32)).shape());
        assertArrayEquals(new int[] {3, 5, 34, 34},
                new ConvTranspose3d(1, 3, 3, KEY).apply(Jnp.ones(DType.FLOAT32, 1, 3, 32, 32)).shape());
        // stride 2, padding 1, output padding 1, dilation 2, no bias
        assertArrayEquals(new int[] {1, 64}, new ConvTranspose1d(3, 1, new int[] {3}, strided(1), false, DType.FLOAT32, KEY)
                .apply(Jnp.ones(DType.FLOAT32, 3, 31)).shape());
        assertArrayEquals(new int[] {1, 64, 64}, new ConvTranspose2d(3, 1, new int[] {3}, strided(2), false, DType.FLOAT32, KEY)
                .apply(Jnp.ones(DType.FLOAT32, 3, 31, 31)).shape());
        assertArrayEquals(new int[] {1, 6, 64, 64}, new ConvTranspose3d(3, 1, new int[] {3}, strided(3), false, DType.FLOAT32, KEY)
                .apply(Jnp.ones(DType.FLOAT32, 3, 2, 31, 31)).shape());
        ConvSpec cropping = new ConvSpec(new int[] {2}, Padding.of(new int[] {0, 0}, new int[] {1, 3}), new int[] {1}, 1, "ZEROS",
                new int[] {0});
        assertArrayEquals(new int[] {3, 32, 32}, new ConvTranspose2d(8, 3, new int[] {1}, cropping, true, DType.FLOAT32, KEY)
                .apply(Jnp.ones(DType.FLOAT32, 8, 17, 18)).shape());
    }

    // Equinox's ConvTranspose docstring (FAQ): flipping the Conv's weight and swapping its channel axes gives
    // the exact transpose; checked against the vjp of the Conv for strides, explicit padding and dilation.
    @Test
    void withTheFlippedWeightItIsTheTransposeOfTheConv() {
        ConvSpec convSpec = new ConvSpec(new int[] {2, 1}, Padding.of(new int[] {1, 0}, new int[] {0, 2}), new int[] {1, 2}, 1,
                "ZEROS", new int[] {0, 0});
        Conv2d conv = new Conv2d(3, 4, new int[] {3, 2}, convSpec, false, DType.FLOAT64, Prng.key(3));
        Array x = det(3 * 8 * 6, 0.2, 3, 8, 6);
        Array y = conv.apply(x);
        // the Conv maps lengths 8 and 9 alike to 4 along axis 0 (stride 2): output padding 0 picks 8, 1 picks 9
        ConvSpec tSpec = new ConvSpec(convSpec.stride(), convSpec.padding(), convSpec.dilation(), 1, "ZEROS", new int[] {0, 0});
        ConvTranspose2d t = new ConvTranspose2d(transposedWeight(conv.weight()), null, tSpec);
        Array cotangent = det(y.size(), 1.3, y.shape());
        Array expected = Jax.vjp(conv::apply, x).pullback().apply(cotangent);
        Array got = t.apply(cotangent);
        assertArrayEquals(x.shape(), got.shape());
        assertArrayEquals(expected.toDoubleArray(), got.toDoubleArray(), 1e-12);
    }

    // Equinox: test_convtranspose_same_padding (there with all-ones weights, so connectivity only; here with
    // the flipped weight of a random Conv, so every value), for SAME and SAME_LOWER, and VALID as zero padding
    @Test
    void sameAndValidPaddingTransposeTheConv() {
        // {kernel, dilation, stride}: the second has a negative SAME total for the ConvTranspose (Equinox then
        // moves it into the output padding)
        for (int[] kds : new int[][] {{3, 2, 2}, {1, 1, 3}}) {
            for (Padding p : new Padding[] {Padding.SAME, Padding.SAME_LOWER, Padding.VALID}) {
                for (int length = 5; length <= 8; length++) {
                    int stride = kds[2];
                    ConvSpec convSpec = spec(stride, p, kds[1], 1, "ZEROS", 0);
                    Conv1d conv = new Conv1d(2, 3, new int[] {kds[0]}, convSpec, false, DType.FLOAT64, Prng.key(5));
                    Array x = det(2 * length, 0.4, 2, length);
                    Array y = conv.apply(x);
                    int span = kds[1] * (kds[0] - 1) + 1;
                    // the output padding that picks this length among those the Conv maps to y's length
                    int outputPadding = p == Padding.VALID ? (length - span) % stride : Math.floorMod(-length, stride);
                    ConvTranspose1d t = new ConvTranspose1d(transposedWeight(conv.weight()), null,
                            spec(stride, p, kds[1], 1, "ZEROS", outputPadding));
                    Array cotangent = det(y.size(), 0.9, y.shape());
                    Array expected = Jax.vjp(conv::apply, x).pullback().apply(cotangent);
                    String what = p + ", kernel/dilation/stride " + Arrays.toString(kds) + ", length " + length;
                    assertArrayEquals(expected.toDoubleArray(), t.apply(cotangent).toDoubleArray(), 1e-12, what);
                }
            }
        }
    }

    // Equinox: test_convtranspose_circular (all-ones weights: the Jacobian of the ConvTranspose is the
    // transpose of the Conv's, the circular wrap-around included)
    @Test
    void circularPaddingHasTheConnectivityOfTheCircularConv() {
        Conv1d conv = new Conv1d(Jnp.ones(DType.FLOAT64, 1, 1, 3), null, spec(2, Padding.SAME, 2, 1, "CIRCULAR", 0));
        ConvTranspose1d t = new ConvTranspose1d(Jnp.ones(DType.FLOAT64, 1, 1, 3), null, spec(2, Padding.SAME, 2, 1, "CIRCULAR", 0));
        Array x = det(6, 0.1, 1, 6);
        Array y = conv.apply(x);
        Array jConv = Jnp.reshape(Jax.jacfwd(conv::apply).apply(x), y.size(), 6);
        Array jT = Jnp.reshape(Jax.jacfwd(t::apply).apply(y), 6, y.size());
        assertArrayEquals(Jnp.transpose(jConv).toDoubleArray(), jT.toDoubleArray(), 1e-12);
    }

    // Stronger than Equinox's test_convtranspose_circular: with a random Conv weight flipped (Equinox's FAQ),
    // the circular ConvTranspose is the vjp of the circular Conv, for lengths that the stride divides
    @Test
    void circularPaddingTransposesTheCircularConv() {
        for (Padding p : new Padding[] {Padding.SAME, Padding.SAME_LOWER}) {
            for (int length : new int[] {6, 8}) {
                Conv1d conv = new Conv1d(2, 3, new int[] {3}, spec(2, p, 2, 1, "CIRCULAR", 0), false, DType.FLOAT64, Prng.key(6));
                ConvTranspose1d t = new ConvTranspose1d(transposedWeight(conv.weight()), null, spec(2, p, 2, 1, "CIRCULAR", 0));
                Array x = det(2 * length, 0.5, 2, length);
                Array y = conv.apply(x);
                Array cotangent = det(y.size(), 1.7, y.shape());
                Array expected = Jax.vjp(conv::apply, x).pullback().apply(cotangent);
                assertArrayEquals(expected.toDoubleArray(), t.apply(cotangent).toDoubleArray(), 1e-12, p + ", length " + length);
            }
        }
    }

    // Equinox's ConvTranspose constructor refuses what it does not implement: REFLECT and REPLICATE, and
    // CIRCULAR other than with SAME or SAME_LOWER padding and zero output padding; output padding >= stride
    @Test
    void unsupportedModesAreRefused() {
        for (ConvSpec bad : new ConvSpec[] {spec(1, Padding.SAME, 1, 1, "REFLECT", 0), spec(1, Padding.SAME, 1, 1, "REPLICATE", 0),
            spec(1, Padding.of(1, 1), 1, 1, "CIRCULAR", 0), spec(1, Padding.VALID, 1, 1, "CIRCULAR", 0),
            spec(2, Padding.SAME, 1, 1, "CIRCULAR", 1), spec(2, Padding.of(0, 1), 1, 1, "ZEROS", 2)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ConvTranspose1d(1, 1, new int[] {3}, bad, false, DType.FLOAT32, KEY), bad.toString());
            assertTrue(e.getMessage().contains("ConvTranspose1d"), e.getMessage());
        }
    }
}
