package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.core.DenseArray;
import dev.solstice.io.Npy;
import dev.solstice.io.Npz;
import dev.solstice.io.Safetensors;
import dev.solstice.tree.Tree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strided views (transpose, broadcast_in_dim, slice, rev, reshape, squeeze, expand_dims evaluate to views of
 * their operand's storage) keep value semantics: views of views, then operations, equal a float64 reference
 * computed here by index arithmetic on the source data; views print, save and ravel their own elements; and
 * derivatives and batching through views match finite differences and loops.
 */
class StridedViewsTest {
    private static final double TOL = 1e-12;

    /** Row-major values of {@code shape}, element {@code idx} given by {@code at}. */
    private static double[] table(int[] shape, ToDoubleFunction<int[]> at) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] v = new double[size];
        int[] idx = new int[shape.length];
        for (int n = 0; n < size; n++) {
            int f = n;
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a] = f % shape[a];
                f /= shape[a];
            }
            v[n] = at.applyAsDouble(idx);
        }
        return v;
    }

    /** Distinct, irregular values {@code 0.37 k - 0.01 k^2 + 0.5 sin(k)}, k = 0 .. n-1. */
    private static double[] data(int n) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = 0.37 * k - 0.01 * k * k + 0.5 * Math.sin(k);
        }
        return v;
    }

    private static DenseArray dense(Array a) {
        return a.concrete();
    }

    @Test
    void transposesThatUndoEachOtherGiveBackTheStorageWithoutACopy() {
        Array x = Array.of(data(12), 3, 4);
        Array t = Lax.transpose(x, 1, 0);
        assertFalse(dense(t).isContiguous(), "a transpose is a view");
        assertSame(dense(x).storage(), dense(t).storage());
        Array back = Lax.transpose(t, 1, 0);
        assertTrue(dense(back).isContiguous(), "the composition is the identity layout");
        assertSame(dense(x).storage(), dense(back).storage(), "and shares the original storage");
        assertArrayEquals(x.toDoubleArray(), back.toDoubleArray());
    }

    @Test
    void transposeOfSliceOfBroadcastThenOpsEqualsTheReference() {
        double[] b = data(5);
        Array base = Array.of(b, 5, 1);
        Array bc = Lax.broadcastInDim(base, new int[] {4, 5, 6}, new int[] {1, 2});
        Array sl = Lax.slice(bc, new int[] {1, 0, 1}, new int[] {4, 5, 6}, new int[] {2, 2, 1});
        Array tr = Lax.transpose(sl, 2, 0, 1);
        assertArrayEquals(new int[] {5, 2, 3}, tr.shape());
        assertFalse(dense(tr).isContiguous());
        double[] c = data(30);
        Array out = Jnp.multiply(Jnp.add(tr, Array.of(c, 5, 2, 3)), 0.5);
        double[] want = table(new int[] {5, 2, 3}, i -> (b[2 * i[2]] + c[(i[0] * 2 + i[1]) * 3 + i[2]]) * 0.5);
        assertArrayEquals(want, out.toDoubleArray(), TOL);
        assertArrayEquals(table(new int[] {5, 2, 3}, i -> b[2 * i[2]]), tr.toDoubleArray(), 0.0);
    }

    @Test
    void revOfTransposeThenOpsAndReductionsEqualTheReference() {
        double[] x = data(60);
        Array xa = Array.of(x, 3, 4, 5);
        Array rt = Lax.rev(Lax.transpose(xa, 2, 0, 1), 0, 2);
        ToDoubleFunction<int[]> at = i -> x[(i[1] * 4 + (3 - i[2])) * 5 + (4 - i[0])];
        assertArrayEquals(table(new int[] {5, 3, 4}, at), rt.toDoubleArray(), 0.0);
        Array y = Jnp.add(Jnp.sin(rt), rt);
        assertArrayEquals(table(new int[] {5, 3, 4}, i -> Math.sin(at.applyAsDouble(i)) + at.applyAsDouble(i)),
                y.toDoubleArray(), TOL);
        double[] sum = table(new int[] {3, 4}, i -> {
            double s = 0;
            for (int a = 0; a < 5; a++) {
                s += at.applyAsDouble(new int[] {a, i[0], i[1]});
            }
            return s;
        });
        assertArrayEquals(sum, Jnp.sum(rt, 0).toDoubleArray(), TOL);
    }

    @Test
    void reshapeOfATransposeIsAViewWhenStridesAllowAndACopyOtherwise() {
        double[] x = data(12);
        Array t = Lax.transpose(Array.of(x, 3, 4), 1, 0);
        Array flat = Lax.reshape(t, 12);
        assertTrue(dense(flat).isContiguous(), "a transposed matrix flattened needs a copy");
        assertArrayEquals(table(new int[] {12}, i -> x[(i[0] % 3) * 4 + i[0] / 3]), flat.toDoubleArray(), 0.0);
        Array split = Lax.reshape(t, 2, 2, 3);
        assertFalse(dense(split).isContiguous(), "splitting an axis of a view keeps it a view");
        assertArrayEquals(table(new int[] {2, 2, 3}, i -> x[i[2] * 4 + i[0] * 2 + i[1]]), split.toDoubleArray(), 0.0);
        // squeeze and expand_dims of a broadcast view
        double[] b = data(4);
        Array bc = Lax.broadcastInDim(Array.of(b), new int[] {3, 1, 4}, new int[] {2});
        Array sq = Lax.expandDims(Lax.squeeze(bc, 1), 0);
        assertArrayEquals(new int[] {1, 3, 4}, sq.shape());
        assertFalse(dense(sq).isContiguous());
        assertArrayEquals(table(new int[] {1, 3, 4}, i -> b[i[2]]), sq.toDoubleArray(), 0.0);
    }

    @Test
    void productsOfViewsEqualTheFloat64Loop() {
        double[] x = data(30);
        double[] y = data(12);
        // A[i][p] = x[2p][i] (rows 0, 2, 4 of a 6x5 matrix, transposed), B[p][j] = y[2-p][j]
        Array a = Lax.transpose(Lax.slice(Array.of(x, 6, 5), new int[] {0, 0}, new int[] {6, 5}, new int[] {2, 1}), 1, 0);
        Array bm = Lax.rev(Array.of(y, 3, 4), 0);
        Array c = Jnp.matmul(a, bm);
        assertArrayEquals(table(new int[] {5, 4}, i -> {
            double s = 0;
            for (int p = 0; p < 3; p++) {
                s += x[2 * p * 5 + i[0]] * y[(2 - p) * 4 + i[1]];
            }
            return s;
        }), c.toDoubleArray(), TOL);
        // int32: a reversed, transposed operand
        int[] xi = {3, -1, 4, 1, -5, 9, 2, -6, 5, 3, 5, -8};
        Array ai = Lax.rev(Lax.transpose(Array.of(xi, 3, 4), 1, 0), 0);
        assertArrayEquals(new int[] {
            xi[3] * xi[3] + xi[7] * xi[7] + xi[11] * xi[11], xi[3] * xi[2] + xi[7] * xi[6] + xi[11] * xi[10],
            xi[2] * xi[3] + xi[6] * xi[7] + xi[10] * xi[11], xi[2] * xi[2] + xi[6] * xi[6] + xi[10] * xi[10]},
                Jnp.matmul(Lax.slice(ai, new int[] {0, 0}, new int[] {2, 3}, new int[] {1, 1}),
                        Lax.transpose(Lax.slice(ai, new int[] {0, 0}, new int[] {2, 3}, new int[] {1, 1}), 1, 0))
                        .toIntArray());
        // 1 x N and N x 1: a stepped slice of a vector times a transposed matrix, and the matrix times it
        double[] w = data(35);
        Array v = Lax.slice(Array.of(data(10)), new int[] {1}, new int[] {10}, new int[] {2});
        Array wt = Lax.transpose(Array.of(w, 7, 5), 1, 0);
        double[] vd = v.toDoubleArray();
        assertArrayEquals(table(new int[] {7}, i -> {
            double s = 0;
            for (int p = 0; p < 5; p++) {
                s += vd[p] * w[i[0] * 5 + p];
            }
            return s;
        }), Jnp.matmul(v, wt).toDoubleArray(), TOL);
        assertArrayEquals(table(new int[] {7, 1}, i -> {
            double s = 0;
            for (int p = 0; p < 5; p++) {
                s += w[i[0] * 5 + p] * vd[p];
            }
            return s;
        }), Jnp.matmul(Lax.transpose(wt, 1, 0), Lax.reshape(v, 5, 1)).toDoubleArray(), TOL);
    }

    @Test
    void aViewNeverChangesItsSourceAndReadsTheSameAfterOps() {
        double[] x = data(20);
        Array xa = Array.of(x, 4, 5);
        Array v = Lax.rev(Lax.transpose(xa, 1, 0), 1);
        double[] before = v.toDoubleArray();
        Jnp.multiply(v, v);
        Jnp.exp(v);
        Lax.reduceSum(v, 0);
        assertArrayEquals(x, xa.toDoubleArray(), 0.0, "the source is untouched");
        assertArrayEquals(before, v.toDoubleArray(), 0.0, "the view reads the same");
        assertSame(dense(v).data(), dense(v).data(), "a view's contiguous copy is made once");
        assertEquals(Lax.reshape(v, 20).toDoubleArray()[7], before[7]);
    }

    @Test
    void aSmallSliceIsCopiedSoItDoesNotPinALargeStorage() {
        Array big = Array.of(data(1000));
        Array small = Lax.slice(big, new int[] {10}, new int[] {20}, new int[] {1});
        assertTrue(dense(small).isContiguous());
        assertEquals(10, ((double[]) dense(small).storage()).length, "only the slice's elements are kept");
        Array half = Lax.slice(big, new int[] {0}, new int[] {1000}, new int[] {2});
        assertFalse(dense(half).isContiguous(), "a slice of half the storage is a view");
        assertArrayEquals(table(new int[] {500}, i -> data(1000)[2 * i[0]]), half.toDoubleArray(), 0.0);
    }

    @Test
    void viewsPrintSaveAndRavelTheirOwnElements(@TempDir Path dir) throws IOException {
        double[] x = data(12);
        Array v = Lax.transpose(Array.of(x, 3, 4), 1, 0);
        Array copy = Array.of(v.toDoubleArray(), 4, 3);
        assertEquals(copy.toString(), v.toString());
        assertEquals(table(new int[] {4, 3}, i -> x[i[1] * 4 + i[0]])[5], v.toDoubleArray()[5]);
        Array f32 = Lax.rev(Jnp.astype(Array.of(x, 3, 4), DType.FLOAT32), 1);
        Array bc = Lax.broadcastInDim(Array.of(new int[] {7, -3}), new int[] {3, 2}, new int[] {1});
        Npy.write(dir.resolve("v.npy"), v);
        assertArrayEquals(copy.toDoubleArray(), Npy.read(dir.resolve("v.npy")).toDoubleArray(), 0.0);
        Map<String, Array> arrays = Map.of("v", v, "f32", f32, "bc", bc);
        Safetensors.write(dir.resolve("t.safetensors"), arrays);
        Npz.write(dir.resolve("t.npz"), arrays);
        for (Map<String, Array> back : List.of(Safetensors.read(dir.resolve("t.safetensors")),
                Npz.read(dir.resolve("t.npz")))) {
            for (Map.Entry<String, Array> e : arrays.entrySet()) {
                assertArrayEquals(e.getValue().shape(), back.get(e.getKey()).shape());
                assertArrayEquals(e.getValue().toDoubleArray(), back.get(e.getKey()).toDoubleArray(), 0.0, e.getKey());
            }
        }
        assertArrayEquals(new double[] {7, -3, 7, -3, 7, -3}, bc.toDoubleArray(), 0.0);
        Tree.Raveled<List<Array>> r = Tree.ravel(List.of(v, bc));
        double[] flat = r.flat().toDoubleArray();
        assertArrayEquals(copy.toDoubleArray(), java.util.Arrays.copyOf(flat, 12), 0.0);
        assertArrayEquals(new double[] {7, -3, 7, -3, 7, -3}, java.util.Arrays.copyOfRange(flat, 12, 18), 0.0);
        List<Array> rebuilt = r.unravel().apply(r.flat());
        assertArrayEquals(copy.toDoubleArray(), rebuilt.get(0).toDoubleArray(), 0.0);
    }

    /** A function of a [4, 3] matrix through every view primitive. */
    private static Array throughViews(Array x) {
        Array bc = Lax.broadcastInDim(x, new int[] {2, 4, 3}, new int[] {1, 2});
        Array sl = Lax.slice(bc, new int[] {0, 1, 0}, new int[] {2, 4, 3}, new int[] {1, 1, 2});
        Array tr = Lax.rev(Lax.transpose(sl, 2, 0, 1), 0);
        Array sq = Lax.reshape(Lax.expandDims(tr, 0), 2, 2, 3);
        return Jnp.add(Jnp.multiply(Jnp.sin(sq), sq), Lax.transpose(sq, 0, 2, 1).reshape(2, 2, 3));
    }

    @Test
    void gradJvpAndVmapThroughViewsMatchFiniteDifferencesAndLoops() {
        double[] x0 = data(12);
        Array x = Array.of(x0, 4, 3);
        UnaryOperator<Array> f = a -> Jnp.sum(Jnp.square(throughViews(a)));
        double[] g = Jax.grad(f).apply(x).toDoubleArray();
        double[] t0 = data(13);
        Array t = Array.of(java.util.Arrays.copyOf(t0, 12), 4, 3);
        double jvp = Jax.jvp(f, x, t).tangent().item();
        double h = 1e-6;
        double directional = 0;
        for (int i = 0; i < 12; i++) {
            double[] up = x0.clone();
            double[] down = x0.clone();
            up[i] += h;
            down[i] -= h;
            double fd = (f.apply(Array.of(up, 4, 3)).item() - f.apply(Array.of(down, 4, 3)).item()) / (2 * h);
            assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), "grad element " + i);
            directional += fd * t0[i];
        }
        assertEquals(directional, jvp, 1e-6 * Math.max(1, Math.abs(directional)), "jvp");
        // vmap over a leading batch of 5 equals the loop over the examples
        double[] xs = data(60);
        Array batch = Array.of(xs, 5, 4, 3);
        Array batched = Jax.vmap((UnaryOperator<Array>) StridedViewsTest::throughViews).apply(batch);
        Function<Integer, Array> one = b -> throughViews(Array.of(java.util.Arrays.copyOfRange(xs, 12 * b, 12 * b + 12), 4, 3));
        for (int b = 0; b < 5; b++) {
            double[] got = java.util.Arrays.copyOfRange(batched.toDoubleArray(), 12 * b, 12 * b + 12);
            assertArrayEquals(one.apply(b).toDoubleArray(), got, 0.0, "example " + b);
        }
    }
}
