package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Linalg;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The peer harness's linear-algebra workloads ({@code ../shared/bench-peers}, README "dense kernels"):
 * {@code cholesky256_f64}, {@code solve256_f64} and {@code eigh256_f64} on {@code M = A Aᵀ + 256 I},
 * {@code A_ij = sin((i j + 0.3 i) + 0.7 j)}, {@code b = det(256, 0.5, 0.1, 1)}, with the same checksums
 * (the sum of the result) and timing rules as {@link JitPeerRows}, whose row printer it uses; plus the same
 * workloads at n = 64 ({@code cholesky64_f64}, ...), which have no peer row. {@code bin/bench-peers} runs it
 * after {@link JitPeerRows}. The eigh rows time the values-only {@code Linalg.eigvalsh}, as the peer times
 * {@code torch.linalg.eigvalsh}.
 */
public final class LinalgPeerRows {
    private LinalgPeerRows() {}

    /** {@code M = A Aᵀ + n I} with {@code A_ij = sin((i j + 0.3 i) + 0.7 j)}, as torch_bench.py's {@code spd(n)}. */
    static Array spd(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = Math.sin((i * (double) j + 0.3 * i) + 0.7 * j);
            }
        }
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * a[j * n + k];
                }
                m[i * n + j] = s;
            }
        }
        return Array.of(m, n, n);
    }

    /** The workloads at order {@code n}, named {@code <op><n>_f64}. */
    static List<JitPeerRows.Workload> workloads(int n) {
        Array m = spd(n);
        Array b = Array.of(JitPeerRows.det(n, 0.5, 0.1, 1.0));
        List<JitPeerRows.Workload> all = new ArrayList<>();
        all.add(row("cholesky" + n + "_f64", () -> Linalg.cholesky(m)));
        all.add(row("solve" + n + "_f64", () -> Linalg.solve(m, b)));
        all.add(row("eigh" + n + "_f64", () -> Linalg.eigvalsh(m)));
        return all;
    }

    private static JitPeerRows.Workload row(String name, Supplier<Object> fn) {
        return new JitPeerRows.Workload(name, fn, null, 0);
    }

    /** Runs the selected rows ({@code args}: name substrings; none = all). */
    public static void main(String[] args) {
        List<String> wanted = List.of(args);
        boolean failed = false;
        for (int n : new int[] {256, 64}) {
            for (JitPeerRows.Workload w : workloads(n)) {
                if (!wanted.isEmpty() && wanted.stream().noneMatch(w.name()::contains)) {
                    continue;
                }
                try {
                    JitPeerRows.prewarm(w, "run");
                    JitPeerRows.bench(w);
                } catch (RuntimeException e) {
                    failed = true;
                    System.err.println("# " + w.name() + " failed: " + e);
                }
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
