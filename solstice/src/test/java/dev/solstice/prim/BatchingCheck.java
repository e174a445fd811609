package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.testing.Stacking;
import dev.solstice.transform.Autodiff;
import dev.solstice.transform.Vectorize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The batching part of the primitive contract: {@code vmap(bind p)} over a batch of examples equals the
 * primitive applied eagerly to each example, the results stacked. The batches are built and the results read
 * back by index arithmetic on the flat data here, never with the library's own transpose or slicing, so the
 * oracle is independent of the batching rules under test.
 *
 * <p>Each operand's batch holds the example operand and perturbed copies of it (rotated elements; floats
 * scaled by a few percent, ints shifted within [-3, 3], bools negated), which stay in the example's domain.
 */
final class BatchingCheck {
    private BatchingCheck() {}

    /** The batch size of the single-level check. */
    static final int N = 3;

    /** One configuration: for each operand its batch axis in the batched operand, or NOT_BATCHED. */
    record Config(int[] dims) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(dims, c.dims);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(dims);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < dims.length; i++) {
                b.append(i == 0 ? "" : ", ").append(dims[i] == Batched.NOT_BATCHED ? "unbatched" : "axis " + dims[i]);
            }
            return b.append(']').toString();
        }
    }

    /**
     * The configurations for an example: every non-empty set of batched operands, with batch axis 0, 1 and
     * -1 (normalised; an operand whose rank does not allow axis 1 gets axis 0), and mixed axes (operands
     * alternately on the last axis, the first, and axis 1). Duplicates are dropped.
     */
    static List<Config> configs(Example ex) {
        Array[] in = ex.inputs();
        int n = in.length;
        Set<Config> out = new LinkedHashSet<>();
        for (int mask = 1; mask < (1 << n); mask++) {
            for (int mode = 0; mode < 4; mode++) {
                int[] dims = new int[n];
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) == 0) {
                        dims[i] = Batched.NOT_BATCHED;
                        continue;
                    }
                    int rank = in[i].ndim() + 1;
                    int want = switch (mode) {
                        case 0 -> 0;
                        case 1 -> 1;
                        case 2 -> -1;
                        default -> new int[] {-1, 0, 1}[i % 3];
                    };
                    int a = want < 0 ? want + rank : want;
                    dims[i] = a < rank ? a : 0;
                }
                out.add(new Config(dims));
            }
        }
        return new ArrayList<>(out);
    }

    /** The single-level check for one configuration. */
    static void check(Example ex, Config config) {
        Primitive p = ex.primitive();
        Array[] in = ex.inputs();
        int n = in.length;
        Array[] xs = new Array[n];
        for (int i = 0; i < n; i++) {
            if (config.dims[i] == Batched.NOT_BATCHED) {
                xs[i] = in[i];
            } else {
                Array[] copies = new Array[N];
                for (int b = 0; b < N; b++) {
                    copies[b] = perturbed(in[i], b);
                }
                xs[i] = stack(copies, config.dims[i]);
            }
        }
        List<Array[]> perExample = new ArrayList<>();
        for (int b = 0; b < N; b++) {
            Array[] args = new Array[n];
            for (int i = 0; i < n; i++) {
                args[i] = config.dims[i] == Batched.NOT_BATCHED ? in[i] : perturbed(in[i], b);
            }
            perExample.add(Interpreters.bind(p, args));
        }
        String what = ex + " under vmap with operands " + config;
        Array[] actual = Vectorize.vmap("contract test", args -> Interpreters.bind(p, args), xs, config.dims, N, o -> 0);
        compare(perExample, actual, what);
    }

    /**
     * An empty batch (every operand batched on axis 0 with no examples): the result has a leading axis of
     * length 0 and the dtype and remaining shape of the primitive applied to one example.
     */
    static void checkEmpty(Example ex) {
        Primitive p = ex.primitive();
        Array[] in = ex.inputs();
        Array[] xs = new Array[in.length];
        int[] dims = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            int[] s = new int[in[i].ndim() + 1];
            System.arraycopy(in[i].shape(), 0, s, 1, in[i].ndim());
            xs[i] = make(in[i].dtype(), new double[0], s);
        }
        Array[] one = Interpreters.bind(p, in);
        checkEmptyOutputs(ex + " under vmap over an empty batch", one,
                Vectorize.vmap("contract test", args -> Interpreters.bind(p, args), xs, dims, 0, o -> 0));
    }

    private static void checkEmptyOutputs(String what, Array[] one, Array[] actual) {
        assertEquals(one.length, actual.length, what + ": number of outputs");
        for (int o = 0; o < one.length; o++) {
            int[] s = new int[one[o].ndim() + 1];
            System.arraycopy(one[o].shape(), 0, s, 1, one[o].ndim());
            assertEquals(one[o].dtype(), actual[o].dtype(), what + ": dtype of output " + o);
            assertArrayEquals(s, actual[o].shape(), what + ": shape of output " + o + " is "
                    + Arrays.toString(actual[o].shape()) + ", expected " + Arrays.toString(s));
        }
    }

    /**
     * Batching composes with differentiation: with every operand batched (even operands on their last axis,
     * odd ones on axis 0) and random per-example tangents and cotangents for the floating operands,
     * vmap of jvp, jvp of vmap, and the pullback of the linearized vmap each equal the per-example jvp or
     * pullback computed eagerly, example by example, and stacked.
     */
    static void checkDerivatives(Example ex, java.util.Random r) {
        Primitive p = ex.primitive();
        Array[] in = ex.inputs();
        int n = in.length;
        List<Integer> fl = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (in[i].dtype().isFloating()) {
                fl.add(i);
            }
        }
        int[] diff = fl.stream().mapToInt(Integer::intValue).toArray();
        int nd = diff.length;
        int[] dims = new int[n];
        Array[][] ex3 = new Array[N][n];
        Array[] xs = new Array[n];
        for (int i = 0; i < n; i++) {
            dims[i] = i % 2 == 0 ? in[i].ndim() : 0;
            Array[] copies = new Array[N];
            for (int b = 0; b < N; b++) {
                copies[b] = perturbed(in[i], b);
                ex3[b][i] = copies[b];
            }
            xs[i] = stack(copies, dims[i]);
        }
        Array[][] tan = new Array[N][nd];
        Array[] ts = new Array[nd];
        int[] tDims = new int[nd];
        for (int j = 0; j < nd; j++) {
            Array a = in[diff[j]];
            Array[] copies = new Array[N];
            for (int b = 0; b < N; b++) {
                copies[b] = dev.solstice.testing.Numeric.random(r, a.dtype(), -1, 1, a.shape());
                tan[b][j] = copies[b];
            }
            ts[j] = stack(copies, dims[diff[j]]);
            tDims[j] = dims[diff[j]];
        }
        // the oracle: per-example jvp and pullback, eagerly
        List<Array[]> jvpLoop = new ArrayList<>();
        List<Array[]> vjpLoop = new ArrayList<>();
        List<Array> cts = new ArrayList<>();
        Array[] one = Interpreters.bind(p, in);
        Array[][] ctPer = new Array[N][one.length];
        for (int b = 0; b < N; b++) {
            Array[] args = ex3[b];
            Function<Array[], Array[]> fb = d -> Interpreters.bind(p, substitute(args, diff, d));
            jvpLoop.add(Autodiff.jvp("contract test", fb, pick(args, diff), tan[b])[1]);
            Autodiff.Linearized lin = Autodiff.linearize("contract test", fb, pick(args, diff));
            for (int o = 0; o < one.length; o++) {
                Aval a = lin.outAvals()[o];
                ctPer[b][o] = a.dtype().isFloating() ? dev.solstice.testing.Numeric.random(r, a.dtype(), -1, 1, a.shape())
                        : DenseArray.full(a, 0);
            }
            vjpLoop.add(lin.vjp(ctPer[b]));
        }
        Array[] ctBatch = new Array[one.length];
        for (int o = 0; o < one.length; o++) {
            Array[] c = new Array[N];
            for (int b = 0; b < N; b++) {
                c[b] = ctPer[b][o];
            }
            ctBatch[o] = stack(c, 0);
        }
        String what = ex + " with operands batched on " + new Config(dims);
        // vmap of jvp
        int[] allDims = new int[n + nd];
        System.arraycopy(dims, 0, allDims, 0, n);
        System.arraycopy(tDims, 0, allDims, n, nd);
        Array[] both = new Array[n + nd];
        System.arraycopy(xs, 0, both, 0, n);
        System.arraycopy(ts, 0, both, n, nd);
        Array[] vmapOfJvp = Vectorize.vmap("contract test", a -> {
            Array[] xa = Arrays.copyOfRange(a, 0, n);
            return Autodiff.jvp("contract test", d -> Interpreters.bind(p, substitute(xa, diff, d)), pick(xa, diff),
                    Arrays.copyOfRange(a, n, n + nd))[1];
        }, both, allDims, N, o -> 0);
        compare(jvpLoop, vmapOfJvp, what + ": vmap(jvp) vs the loop of jvp");
        // jvp of vmap (the tangent output of the batched function, with its batch on axis 0)
        Function<Array[], Array[]> batched = d -> Vectorize.vmap("contract test", a -> Interpreters.bind(p, a),
                substitute(xs, diff, d), dims, N, o -> 0);
        Array[] jvpOfVmap = Autodiff.jvp("contract test", batched, pick(xs, diff), ts)[1];
        compare(jvpLoop, jvpOfVmap, what + ": jvp(vmap) vs the loop of jvp");
        // the pullback of the linearized vmap: cotangents come back in each operand's batched layout
        Array[] vjpOfVmap = Autodiff.linearize("contract test", batched, pick(xs, diff)).vjp(ctBatch);
        for (int j = 0; j < nd; j++) {
            int jj = j;
            List<Array[]> expected = new ArrayList<>();
            for (Array[] v : vjpLoop) {
                expected.add(new Array[] {v[jj]});
            }
            Array moved = Stacking.stack(Stacking.unstack(vjpOfVmap[j], tDims[j]), 0);
            compare(expected, new Array[] {moved}, what + ": pullback of vmap vs the loop of pullbacks, operand " + diff[j]);
        }
    }

    private static Array[] pick(Array[] xs, int[] positions) {
        Array[] r = new Array[positions.length];
        for (int j = 0; j < positions.length; j++) {
            r[j] = xs[positions[j]];
        }
        return r;
    }

    private static Array[] substitute(Array[] base, int[] positions, Array[] values) {
        Array[] out = base.clone();
        for (int j = 0; j < positions.length; j++) {
            out[positions[j]] = values[j];
        }
        return out;
    }

    /** A nullary primitive under vmap (with the batch size given): its output, the same for every example. */
    static void checkNullary(Example ex) {
        Primitive p = ex.primitive();
        List<Array[]> perExample = new ArrayList<>();
        for (int b = 0; b < N; b++) {
            perExample.add(Interpreters.bind(p));
        }
        Array[] actual = Vectorize.vmap("contract test", args -> Interpreters.bind(p, args), new Array[0], new int[0], N, o -> 0);
        compare(perExample, actual, ex + " under vmap with axisSize " + N);
    }

    /**
     * vmap of vmap (outer batch of 3 on axis 0, inner batch of 2 on the last axis): with {@code split} false
     * every operand is batched at both levels; with {@code split} true even operands vary only across the
     * outer batch and odd ones only across the inner batch. The result must equal the primitive applied to
     * each of the 3 x 2 examples, stacked as [outer, inner, ...].
     */
    static void checkNested(Example ex, boolean split) {
        Primitive p = ex.primitive();
        Array[] in = ex.inputs();
        int n = in.length;
        int outerN = 3;
        int innerN = 2;
        boolean[] outer = new boolean[n];
        boolean[] inner = new boolean[n];
        for (int i = 0; i < n; i++) {
            outer[i] = !split || i % 2 == 0;
            inner[i] = !split || i % 2 == 1;
        }
        Array[] xs = new Array[n];
        int[] outerDims = new int[n];
        int[] innerDims = new int[n];
        for (int i = 0; i < n; i++) {
            int rank = in[i].ndim();
            if (outer[i] && inner[i]) {
                Array[] rows = new Array[outerN];
                for (int a = 0; a < outerN; a++) {
                    Array[] cols = new Array[innerN];
                    for (int c = 0; c < innerN; c++) {
                        cols[c] = perturbed(in[i], a * innerN + c);
                    }
                    rows[a] = stack(cols, rank);
                }
                xs[i] = stack(rows, 0);
                outerDims[i] = 0;
                innerDims[i] = rank;
            } else if (outer[i]) {
                Array[] rows = new Array[outerN];
                for (int a = 0; a < outerN; a++) {
                    rows[a] = perturbed(in[i], a);
                }
                xs[i] = stack(rows, 0);
                outerDims[i] = 0;
                innerDims[i] = Batched.NOT_BATCHED;
            } else {
                Array[] cols = new Array[innerN];
                for (int c = 0; c < innerN; c++) {
                    cols[c] = perturbed(in[i], c);
                }
                xs[i] = stack(cols, rank);
                outerDims[i] = Batched.NOT_BATCHED;
                innerDims[i] = rank;
            }
        }
        List<Array[]> perExample = new ArrayList<>();
        for (int a = 0; a < outerN; a++) {
            for (int c = 0; c < innerN; c++) {
                Array[] args = new Array[n];
                for (int i = 0; i < n; i++) {
                    int k = outer[i] && inner[i] ? a * innerN + c : outer[i] ? a : c;
                    args[i] = perturbed(in[i], k);
                }
                perExample.add(Interpreters.bind(p, args));
            }
        }
        Array[] actual = Vectorize.vmap("outer", xo -> Vectorize.vmap("inner", xi -> Interpreters.bind(p, xi), xo,
                innerDims, innerN, o -> 0), xs, outerDims, outerN, o -> 0);
        String what = ex + " under vmap(vmap) with " + (split ? "even operands batched outside, odd inside"
                : "every operand batched on axis 0 outside and on its last axis inside");
        for (int o = 0; o < actual.length; o++) {
            int[] s = actual[o].shape();
            assertEquals(outerN, s.length > 0 ? s[0] : -1, what + ": outer batch axis of output " + o);
            // flatten the two leading axes so compare() sees one batch of 6
            int[] flat = new int[s.length - 1];
            flat[0] = outerN * innerN;
            System.arraycopy(s, 2, flat, 1, s.length - 2);
            assertEquals(innerN, s[1], what + ": inner batch axis of output " + o);
            actual[o] = make(actual[o].dtype(), actual[o].toDoubleArray(), flat);
        }
        compare(perExample, actual, what);
    }

    // ------------------------------------------------------------------ the oracle's own array arithmetic

    /** Copy {@code k} of an operand ({@code k = 0}: the operand itself). */
    static Array perturbed(Array x, int k) {
        if (k == 0) {
            return x;
        }
        double[] v = x.toDoubleArray();
        int size = v.length;
        double[] r = new double[size];
        for (int i = 0; i < size; i++) {
            double e = v[(i + k) % size];
            r[i] = switch (x.dtype()) {
                case FLOAT32, FLOAT64 -> e * (1 + 0.02 * k);
                case INT32 -> e >= -3 && e <= 3 ? Math.floorMod((int) e + 3 + k, 7) - 3 : e;
                case BOOL -> k % 2 == 1 ? (e != 0 ? 0 : 1) : e;
                default -> e;
            };
        }
        return make(x.dtype(), r, x.shape());
    }

    static Array stack(Array[] parts, int axis) {
        return Stacking.stack(List.of(parts), axis);
    }

    static Array make(DType t, double[] v, int[] shape) {
        return Stacking.make(t, v, shape);
    }

    /**
     * Each output of the batched computation (batch on axis 0) against the per-example outputs: dtype and
     * shape exactly; ints and bools exactly; floats within 1e-12 (float64) or 2e-6 (float32) relative to the
     * largest magnitude of the example's expected output.
     */
    static void compare(List<Array[]> perExample, Array[] actual, String what) {
        int n = perExample.size();
        assertEquals(perExample.getFirst().length, actual.length, what + ": number of outputs");
        for (int o = 0; o < actual.length; o++) {
            Array first = perExample.getFirst()[o];
            int[] expectedShape = new int[first.ndim() + 1];
            expectedShape[0] = n;
            System.arraycopy(first.shape(), 0, expectedShape, 1, first.ndim());
            String out = what + ", output " + o;
            assertEquals(first.dtype(), actual[o].dtype(), out + ": dtype");
            assertArrayEquals(expectedShape, actual[o].shape(), out + ": shape " + Arrays.toString(actual[o].shape())
                    + ", expected " + Arrays.toString(expectedShape));
            double[] a = actual[o].toDoubleArray();
            int m = first.size();
            double rtol = switch (first.dtype()) {
                case FLOAT64 -> 1e-12;
                case FLOAT32 -> 2e-6;
                case FLOAT16, BFLOAT16 -> 1e-2;
                default -> 0;
            };
            for (int b = 0; b < n; b++) {
                double[] e = perExample.get(b)[o].toDoubleArray();
                double scale = 0;
                for (double x : e) {
                    scale = Double.isFinite(x) ? Math.max(scale, Math.abs(x)) : scale;
                }
                for (int i = 0; i < m; i++) {
                    double got = a[b * m + i];
                    boolean ok = Double.isNaN(e[i]) ? Double.isNaN(got)
                            : Double.isInfinite(e[i]) ? e[i] == got
                            : Math.abs(got - e[i]) <= rtol * scale;
                    if (!ok) {
                        fail(out + ": example " + b + ", element " + i + " is " + got + " but applying the primitive to"
                                + " that example gives " + e[i] + "\n expected " + Arrays.toString(e) + "\n actual   "
                                + Arrays.toString(Arrays.copyOfRange(a, b * m, b * m + m)));
                    }
                }
            }
        }
    }
}
