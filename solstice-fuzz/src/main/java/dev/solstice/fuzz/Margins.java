package dev.solstice.fuzz;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Distances from kinks, measured on concrete float64 values: a point is used only when every kinked step
 * (abs, maximum, select, max-reductions, sort, cummax, cond) is far from its tie or switch and every repeated
 * eigenvalue is well separated, so that all derivatives exist and finite differences do not straddle a kink.
 */
final class Margins {
    private Margins() {}

    /** What a probe run saw: the smallest margin and the largest magnitude. */
    static final class Probe {
        double margin = Double.POSITIVE_INFINITY;
        double maxAbs;
        boolean finite = true;
        /** A point where a derivative does not exist under any convention (repeated eigenvalues). */
        boolean singular;

        void see(Array v) {
            for (double d : v.toDoubleArray()) {
                finite &= Double.isFinite(d);
                maxAbs = Math.max(maxAbs, Math.abs(d));
            }
        }
    }

    static double margin(Node n, Array[] a) {
        int[][] p = n.params();
        return switch (n.kind()) {
            case ABS -> minAbs(a[0]);
            case MAXIMUM, MINIMUM, SELECT -> minAbs(Jnp.subtract(a[0], a[1]));
            case REDUCE_MAX, REDUCE_MIN -> topGap(a[0], p[0]);
            case SORT -> Arrays.stream(rows(a[0], new int[] {p[0][0]})).mapToDouble(Margins::sortedGap).min().orElse(Double.POSITIVE_INFINITY);
            case CUMMAX -> Arrays.stream(rows(a[0], new int[] {p[0][0]})).mapToDouble(Margins::runningMaxGap).min().orElse(Double.POSITIVE_INFINITY);
            case COND -> Math.abs(Jnp.sum(a[0]).item());
            case EIGVALSH -> sortedGap(Linalg.eigh(Helpers.spd(a[0], p[0][0])).eigenvalues().toDoubleArray()) / 5;
            // below: kinks where a convention decides the derivative, so modes must agree even at the kink
            default -> Double.POSITIVE_INFINITY;
        };
    }

    private static double minAbs(Array x) {
        return Arrays.stream(x.toDoubleArray()).map(Math::abs).min().orElse(Double.POSITIVE_INFINITY);
    }

    /** The gap between the two largest (equally: two smallest, by symmetry of the test) entries of each reduced group. */
    private static double topGap(Array x, int[] axes) {
        double best = Double.POSITIVE_INFINITY;
        for (double[] row : rows(x, axes)) {
            double[] s = row.clone();
            Arrays.sort(s);
            if (s.length > 1) {
                best = Math.min(best, Math.min(s[s.length - 1] - s[s.length - 2], s[1] - s[0]));
            }
        }
        return best;
    }

    private static double sortedGap(double[] row) {
        double[] s = row.clone();
        Arrays.sort(s);
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < s.length; i++) {
            gap = Math.min(gap, s[i] - s[i - 1]);
        }
        return gap;
    }

    private static double runningMaxGap(double[] row) {
        double gap = Double.POSITIVE_INFINITY;
        double max = row.length > 0 ? row[0] : 0;
        for (int i = 1; i < row.length; i++) {
            gap = Math.min(gap, Math.abs(row[i] - max));
            max = Math.max(max, row[i]);
        }
        return gap;
    }

    /** The groups of {@code x} along {@code axes}: the other axes index the groups. */
    static double[][] rows(Array x, int[] axes) {
        int rank = x.ndim();
        int[] perm = IntStream.concat(IntStream.range(0, rank).filter(i -> Arrays.stream(axes).noneMatch(a -> a == i)),
                Arrays.stream(axes)).toArray();
        int len = Arrays.stream(axes).map(a -> x.shape()[a]).reduce(1, (u, v) -> u * v);
        double[] flat = rank == 0 ? x.toDoubleArray() : Jnp.transpose(x, perm).toDoubleArray();
        int count = len == 0 ? 0 : flat.length / len;
        double[][] out = new double[count][];
        for (int r = 0; r < count; r++) {
            out[r] = Arrays.copyOfRange(flat, r * len, (r + 1) * len);
        }
        return out;
    }
}
