package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.EighResult;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import dev.solstice.QrResult;
import dev.solstice.SvdResult;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Solstice side of {@code tools/linalg_peer}: {@code Linalg.svd} (reduced, with vectors), {@code Linalg.svdvals}
 * and {@code Linalg.qr} (reduced) of {@code A_ij = sin((i j + 0.3 i) + 0.7 j)}, and {@code Linalg.eigh} (with
 * vectors) of {@code M = A Aᵀ + n I} ({@link LinalgPeerRows}'s matrix), at n = 64 and 256, float64, one
 * thread. Each workload runs untimed for {@code WARMUP_S} seconds (default 2; the JIT needs them), then the
 * median of 7 timed repetitions of at least 0.1 s each (the calling thread's CPU time, as the torch side measures
 * it, so that a loaded machine inflates the figures less) is printed as {@code name ms check}, where the check is
 * sign-free and so comparable with torch's: the sum of the singular values, of {@code |R_ii|}, or of the
 * eigenvalues; then the relative reconstruction error {@code |U diag(s) Vh - A| / |A|} (or {@code |Q R - A| / |A|},
 * {@code |V diag(w) Vᵀ - M| / |M|}) and {@code |Qᵀ Q - I|} (or {@code |Vᵀ V - I|}) as {@code name_residual} and {@code name_orthogonality} lines.
 */
public final class LinalgPeer {
    private LinalgPeer() {}

    /** {@code A_ij = sin((i j + 0.3 i) + 0.7 j)}, as torch_linalg.py builds it. */
    static Array matrix(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = Math.sin((i * (double) j + 0.3 * i) + 0.7 * j);
            }
        }
        return Array.of(a, n, n);
    }

    private static double medianMs(Supplier<Object> f) {
        double warm = Double.parseDouble(System.getenv().getOrDefault("WARMUP_S", "2"));
        long end = System.nanoTime() + (long) (warm * 1e9);
        do {
            f.get();
        } while (System.nanoTime() < end);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] t = new double[7];
        for (int r = 0; r < t.length; r++) {
            int reps = 0;
            long s = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            do {
                f.get();
                reps++;
            } while (System.nanoTime() - s < 100_000_000L);
            t[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / reps;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    private static double frobenius(Array x) {
        return Linalg.norm(x).item();
    }

    private static void print(String name, double value) {
        System.out.println(String.format(Locale.ROOT, "%s %.17g", name, value));
    }

    /** Prints the rows; {@code args}: name substrings to run (none: all). */
    public static void main(String[] args) {
        for (int n : new int[] {64, 256}) {
            Array a = matrix(n);
            double norm = frobenius(a);
            Array eye = Jnp.eye(a.dtype(), n);
            if (wanted(args, "svd" + n)) {
                print("svd" + n + "_ms", medianMs(() -> Linalg.svd(a, false).u().toDoubleArray()));
                SvdResult r = Linalg.svd(a, false);
                print("svd" + n + "_check", Jnp.sum(r.s()).item());
                Array rebuilt = Jnp.matmul(Jnp.multiply(r.u(), Jnp.expandDims(r.s(), 0)), r.vh());
                print("svd" + n + "_residual", frobenius(Jnp.subtract(rebuilt, a)) / norm);
                print("svd" + n + "_orthogonality", frobenius(Jnp.subtract(Jnp.matmul(Jnp.transpose(r.u()), r.u()), eye)));
            }
            if (wanted(args, "svdvals" + n)) {
                print("svdvals" + n + "_ms", medianMs(() -> Linalg.svdvals(a).toDoubleArray()));
                print("svdvals" + n + "_check", Jnp.sum(Linalg.svdvals(a)).item());
            }
            if (wanted(args, "qr" + n)) {
                print("qr" + n + "_ms", medianMs(() -> Linalg.qr(a).q().toDoubleArray()));
                QrResult f = Linalg.qr(a);
                double diag = 0;
                for (int i = 0; i < n; i++) {
                    diag += Math.abs(f.r().toDoubleArray()[i * n + i]);
                }
                print("qr" + n + "_check", diag);
                print("qr" + n + "_residual", frobenius(Jnp.subtract(Jnp.matmul(f.q(), f.r()), a)) / norm);
                print("qr" + n + "_orthogonality", frobenius(Jnp.subtract(Jnp.matmul(Jnp.transpose(f.q()), f.q()), eye)));
            }
            if (wanted(args, "eigh" + n)) {
                Array m = LinalgPeerRows.spd(n);
                print("eigh" + n + "_ms", medianMs(() -> Linalg.eigh(m).eigenvectors().toDoubleArray()));
                EighResult e = Linalg.eigh(m);
                print("eigh" + n + "_check", Jnp.sum(e.eigenvalues()).item());
                Array v = e.eigenvectors();
                Array rebuilt = Jnp.matmul(Jnp.multiply(v, Jnp.expandDims(e.eigenvalues(), 0)), Jnp.transpose(v));
                print("eigh" + n + "_residual", frobenius(Jnp.subtract(rebuilt, m)) / frobenius(m));
                print("eigh" + n + "_orthogonality", frobenius(Jnp.subtract(Jnp.matmul(Jnp.transpose(v), v), eye)));
            }
        }
    }

    private static boolean wanted(String[] args, String name) {
        return args.length == 0 || Arrays.stream(args).anyMatch(name::equals);
    }
}
