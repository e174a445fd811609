package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.testing.Numeric;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Convolution and pooling layers against naive float64 loops written here. */
class ConvLayersTest {

    /** Naive 2-D convolution of x [C, H, W] with w [O, C/g, KH, KW], stride, zero padding, dilation, groups. */
    private static double[] conv2d(double[] x, int c, int h, int wd, double[] w, int o, int kh, int kw, int[] s, int[] plo,
            int[] phi, int[] d, int g, double[] bias, int[] outShape) {
        int oh = (h + plo[0] + phi[0] - (d[0] * (kh - 1) + 1)) / s[0] + 1;
        int ow = (wd + plo[1] + phi[1] - (d[1] * (kw - 1) + 1)) / s[1] + 1;
        outShape[0] = o;
        outShape[1] = oh;
        outShape[2] = ow;
        int cg = c / g;
        int og = o / g;
        double[] y = new double[o * oh * ow];
        for (int oc = 0; oc < o; oc++) {
            int group = oc / og;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = bias == null ? 0 : bias[oc];
                    for (int ic = 0; ic < cg; ic++) {
                        for (int a = 0; a < kh; a++) {
                            for (int b = 0; b < kw; b++) {
                                int yy = i * s[0] - plo[0] + a * d[0];
                                int xx = j * s[1] - plo[1] + b * d[1];
                                if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                    acc += x[((group * cg + ic) * h + yy) * wd + xx] * w[((oc * cg + ic) * kh + a) * kw + b];
                                }
                            }
                        }
                    }
                    y[(oc * oh + i) * ow + j] = acc;
                }
            }
        }
        return y;
    }

    private static Array det(int n, double phase, int... shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(0.7 * i + phase);
        }
        return Array.of(v, shape);
    }

    @Test
    void conv2dMatchesTheNaiveLoopForStridesPaddingDilationAndGroups() {
        int[][] configs = {{1, 1, 0, 0, 1, 1, 1}, {2, 1, 1, 2, 1, 1, 1}, {1, 2, 2, 1, 2, 1, 2}, {2, 2, 1, 1, 1, 2, 4}};
        for (int[] cfg : configs) {
            int[] s = {cfg[0], cfg[1]};
            int[] plo = {cfg[2], cfg[3]};
            int[] phi = {cfg[3], cfg[2]};
            int[] d = {cfg[4], cfg[5]};
            int g = cfg[6];
            ConvSpec spec = new ConvSpec(s, Padding.of(plo, phi), d, g, "ZEROS", new int[] {0});
            Conv2d conv = new Conv2d(4, 8, new int[] {3, 2}, spec, true, DType.FLOAT64, Prng.key(cfg[6] + 10 * cfg[0]));
            Array x = det(4 * 7 * 6, cfg[2], 4, 7, 6);
            int[] outShape = new int[3];
            double[] expected = conv2d(x.toDoubleArray(), 4, 7, 6, conv.weight().toDoubleArray(), 8, 3, 2, s, plo, phi, d, g,
                    conv.bias().toDoubleArray(), outShape);
            Array y = conv.apply(x);
            assertArrayEquals(outShape, y.shape(), "config " + java.util.Arrays.toString(cfg));
            assertArrayEquals(expected, y.toDoubleArray(), 1e-12, "config " + java.util.Arrays.toString(cfg));
        }
    }

    @Test
    void samePaddingAndPaddingModes() {
        Conv2d same = new Conv2d(1, 2, new int[] {3}, new ConvSpec(new int[] {2}, Padding.SAME, new int[] {1}, 1, "ZEROS", new int[] {0}),
                false, DType.FLOAT64, Prng.key(1));
        assertArrayEquals(new int[] {2, 4, 3}, same.apply(det(7 * 5, 0.1, 1, 7, 5)).shape());
        // padding modes against the same convolution of an input padded by hand (numpy's reflect/edge/wrap)
        Array x = Array.of(new double[] {1, 2, 3, 4}, 1, 4);
        for (String mode : new String[] {"REFLECT", "REPLICATE", "CIRCULAR"}) {
            Conv1d c = new Conv1d(1, 1, new int[] {3}, new ConvSpec(new int[] {1}, Padding.of(new int[] {2}, new int[] {1}),
                    new int[] {1}, 1, mode, new int[] {0}), false, DType.FLOAT64, Prng.key(2));
            double[] padded = switch (mode) {
                case "REFLECT" -> new double[] {3, 2, 1, 2, 3, 4, 3};
                case "REPLICATE" -> new double[] {1, 1, 1, 2, 3, 4, 4};
                default -> new double[] {3, 4, 1, 2, 3, 4, 1};
            };
            double[] w = c.weight().toDoubleArray();
            double[] expected = new double[5];
            for (int p = 0; p < 5; p++) {
                expected[p] = padded[p] * w[0] + padded[p + 1] * w[1] + padded[p + 2] * w[2];
            }
            assertArrayEquals(expected, c.apply(x).toDoubleArray(), 1e-14, mode);
        }
    }

    /**
     * Equinox's ConvTranspose does not flip the kernel: input q reaches output {@code q*s - plo + k} through
     * kernel tap {@code K-1-k} (PyTorch's would use tap {@code k}).
     */
    @Test
    void transposedConvolutionScattersEachInputThroughTheReversedKernel() {
        int s = 2;
        int plo = 1;
        int phi = 0;
        int op = 1;
        ConvTranspose1d t = new ConvTranspose1d(2, 3, new int[] {3}, new ConvSpec(new int[] {s}, Padding.of(new int[] {plo},
                new int[] {phi}), new int[] {1}, 1, "ZEROS", new int[] {op}), true, DType.FLOAT64, Prng.key(4));
        Array x = det(2 * 4, 0.3, 2, 4);
        int outLen = (4 - 1) * s - plo - phi + (3 - 1) + 1 + op;
        double[] y = new double[3 * outLen];
        double[] w = t.weight().toDoubleArray();
        double[] xv = x.toDoubleArray();
        double[] b = t.bias().toDoubleArray();
        for (int o = 0; o < 3; o++) {
            for (int p = 0; p < outLen; p++) {
                y[o * outLen + p] = b[o];
            }
            for (int i = 0; i < 2; i++) {
                for (int q = 0; q < 4; q++) {
                    for (int k = 0; k < 3; k++) {
                        int p = q * s - plo + k;
                        if (p >= 0 && p < outLen) {
                            y[o * outLen + p] += xv[i * 4 + q] * w[(o * 2 + i) * 3 + (2 - k)];
                        }
                    }
                }
            }
        }
        Array out = t.apply(x);
        assertArrayEquals(new int[] {3, outLen}, out.shape());
        assertArrayEquals(y, out.toDoubleArray(), 1e-13);
        assertArrayEquals(new int[] {2, 9, 9, 9}, new ConvTranspose3d(1, 2, 3, Prng.key(0)).apply(Jnp.ones(DType.FLOAT32, 1, 7, 7, 7)).shape());
    }

    @Test
    void poolingMatchesLoops() {
        Array x = det(2 * 5 * 4, 0.9, 2, 5, 4);
        double[] v = x.toDoubleArray();
        MaxPool2d max = new MaxPool2d(new int[] {2, 2}, new int[] {2, 1}, Padding.of(0, 2), false);
        AvgPool2d avg = new AvgPool2d(new int[] {2, 2}, new int[] {2, 1}, Padding.of(0, 2), false);
        double[] em = new double[2 * 2 * 3];
        double[] ea = new double[2 * 2 * 3];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    double s = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            double e = v[(c * 5 + 2 * i + a) * 4 + j + b];
                            m = Math.max(m, e);
                            s += e;
                        }
                    }
                    em[(c * 2 + i) * 3 + j] = m;
                    ea[(c * 2 + i) * 3 + j] = s / 4;
                }
            }
        }
        assertArrayEquals(em, max.apply(x).toDoubleArray(), 0);
        assertArrayEquals(ea, avg.apply(x).toDoubleArray(), 1e-15);
        assertArrayEquals(new int[] {2, 3, 2}, new MaxPool2d(new int[] {2}, new int[] {2}, Padding.of(0, 2), true).apply(x).shape());
        assertArrayEquals(new int[] {2, 2, 2}, new MaxPool2d(new int[] {2}, new int[] {2}, Padding.of(0, 2), false).apply(x).shape());
        // Equinox's adaptive bins: 5 inputs in 2 bins of 3 and 2 ([1, 2, 3] and [4, 5])
        Array ada = new AdaptiveAvgPool1d(2).apply(Array.of(new double[] {1, 2, 3, 4, 5}, 1, 5));
        assertArrayEquals(new double[] {2, 4.5}, ada.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {3, 5}, new AdaptiveMaxPool1d(2).apply(Array.of(new double[] {1, 2, 3, 4, 5}, 1, 5)).toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 1, 1}, new AdaptiveAvgPool2d(1).apply(x).shape());
    }

    @Test
    void gradientsAndBatching() {
        Conv2d conv = new Conv2d(2, 3, new int[] {2}, new ConvSpec(new int[] {1}, Padding.SAME, new int[] {1}, 1, "ZEROS", new int[] {0}),
                true, DType.FLOAT64, Prng.key(8));
        Array xs = det(4 * 2 * 5 * 5, 0.2, 4, 2, 5, 5);
        Function<Conv2d, Array> loss = c -> Jnp.sum(Jnp.square(Jax.vmap(c::apply).apply(xs)));
        Conv2d g = Eqx.filterGrad(loss).apply(conv);
        Array v = det(3 * 2 * 2 * 2, 1.1, 3, 2, 2, 2);
        double[] fd = Numeric.centralDifference(w -> loss.apply(new Conv2d(w, conv.bias(), conv.spec())), conv.weight(), v, 1e-4);
        assertEquals(fd[0], Numeric.dot(g.weight(), v), 1e-8 * Math.max(1, Math.abs(fd[0])));
        Array batched = Jax.vmap(conv::apply).apply(xs);
        for (int b = 0; b < 4; b++) {
            assertArrayEquals(conv.apply(xs.get(b)).toDoubleArray(), batched.get(b).toDoubleArray(), 1e-13);
        }
        Array pooled = Jax.grad((Array x) -> Jnp.sum(new MaxPool1d(2, 2).apply(x))).apply(Array.of(new double[] {1, 3, 2, 0}, 1, 4));
        assertArrayEquals(new double[] {0, 1, 1, 0}, pooled.toDoubleArray(), 0);
    }

    @Test
    void badArgumentsAreClearErrors() {
        Array key = Prng.key(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(4, 6, new int[] {3},
                new ConvSpec(new int[] {1}, Padding.VALID, new int[] {1}, 4, "ZEROS", new int[] {0}), true, DType.FLOAT32, key));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(-1, 6, 3, key));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 6, 0, key));
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 6, 3, Array.of(1, 2, 3)));
        assertTrue(e.getMessage().contains("key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 2, 5, key).apply(Jnp.ones(DType.FLOAT32, 1, 3, 3)));
        assertTrue(e.getMessage().contains("larger") && e.getMessage().contains("float32[1,3,3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(5).apply(Jnp.ones(DType.FLOAT32, 1, 3, 3)));
        assertTrue(e.getMessage().contains("larger"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 6, 3, key).apply(Jnp.ones(DType.FLOAT32, 2, 5, 5)));
        assertTrue(e.getMessage().contains("float32[2,5,5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvSpec(new int[] {0}, Padding.VALID, new int[] {1}, 1, "ZEROS", new int[] {0}));
    }
}
