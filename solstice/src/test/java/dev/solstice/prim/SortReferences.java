package dev.solstice.prim;

import dev.solstice.DType;
import dev.solstice.prim.Float64Reference.Impl;
import dev.solstice.prim.Float64Reference.Ref;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The naive float64 references of sort and the cumulative reductions, for {@link Float64Reference}: each row
 * is copied out and sorted with {@link List#sort} (stable) under a comparator written from JAX's convention
 * (-0.0 equals 0.0, NaNs after everything and equal); each cumulative output is recomputed from its whole
 * prefix (or suffix) by a plain loop.
 */
final class SortReferences {
    private SortReferences() {}

    /** Registers the references through {@code put}. */
    static void register(BiConsumer<String, Impl> put) {
        put.accept("sort", (p, in) -> sort((Sort) p, in));
        put.accept("cumsum", (p, in) -> cumulative((CumulativeReduction) p, in[0], Double::sum));
        put.accept("cumprod", (p, in) -> cumulative((CumulativeReduction) p, in[0], (a, b) -> a * b));
        put.accept("cummax", (p, in) -> cumulative((CumulativeReduction) p, in[0], (a, b) -> Double.isNaN(a) || Double.isNaN(b)
                ? Double.NaN : Math.max(a, b)));
        put.accept("cummin", (p, in) -> cumulative((CumulativeReduction) p, in[0], (a, b) -> Double.isNaN(a) || Double.isNaN(b)
                ? Double.NaN : Math.min(a, b)));
        put.accept("cumlogsumexp", (p, in) -> cumulative((CumulativeReduction) p, in[0],
                (a, b) -> Math.log(Math.exp(a) + Math.exp(b))));
    }

    /** The axis layout of a shape: elements before, along and after {@code axis}. */
    private record Layout(int outer, int n, int inner) {
        static Layout of(int[] shape, int axis) {
            int a = axis < 0 ? axis + shape.length : axis;
            int outer = 1;
            int inner = 1;
            for (int d = 0; d < a; d++) {
                outer *= shape[d];
            }
            for (int d = a + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            return new Layout(outer, shape[a], inner);
        }

        int at(int o, int k, int i) {
            return (o * n + k) * inner + i;
        }
    }

    private static double canonical(double v) {
        return v == 0 ? 0.0 : Double.isNaN(v) ? Double.NaN : v;
    }

    private static Ref[] sort(Sort p, Ref[] in) {
        Layout l = Layout.of(in[0].shape(), p.dimension());
        double[][] out = new double[in.length][in[0].size()];
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                int oo = o;
                int ii = i;
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < l.n(); k++) {
                    order.add(k);
                }
                Comparator<Integer> byKeys = (x, y) -> 0;
                for (int key = 0; key < p.numKeys(); key++) {
                    double[] v = in[key].values();
                    byKeys = byKeys.thenComparing((x, y) -> Double.compare(canonical(v[l.at(oo, x, ii)]),
                            canonical(v[l.at(oo, y, ii)])));
                }
                order.sort(byKeys);
                for (int op = 0; op < in.length; op++) {
                    for (int k = 0; k < l.n(); k++) {
                        out[op][l.at(o, k, i)] = in[op].values()[l.at(o, order.get(k), i)];
                    }
                }
            }
        }
        Ref[] r = new Ref[in.length];
        for (int op = 0; op < r.length; op++) {
            r[op] = new Ref(in[op].dtype(), in[op].shape(), out[op]);
        }
        return r;
    }

    private static Ref[] cumulative(CumulativeReduction p, Ref x, java.util.function.DoubleBinaryOperator f) {
        Layout l = Layout.of(x.shape(), p.axis());
        double[] out = new double[x.size()];
        double[] scale = new double[x.size()];
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                for (int k = 0; k < l.n(); k++) {
                    int from = p.reverse() ? l.n() - 1 : 0;
                    int step = p.reverse() ? -1 : 1;
                    double acc = x.values()[l.at(o, from, i)];
                    double magnitude = Math.abs(acc) + 1;
                    for (int j = from + step; j != k + step; j += step) {
                        acc = f.applyAsDouble(acc, x.values()[l.at(o, j, i)]);
                        magnitude += Math.abs(x.values()[l.at(o, j, i)]);
                    }
                    out[l.at(o, k, i)] = x.dtype() == DType.INT32 ? (int) (long) acc : acc;
                    scale[l.at(o, k, i)] = magnitude;
                }
            }
        }
        return new Ref[] {new Ref(x.dtype(), x.shape(), out, scale)};
    }
}
