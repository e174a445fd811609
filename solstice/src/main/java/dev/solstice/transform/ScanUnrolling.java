package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Zero;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loop that runs a {@link ScanLoop} on concrete operands. With {@code unroll = k > 1} each iteration runs a
 * program of k body copies chained through the carries (traced once per scan, memoised, compiled once: fewer
 * iterations, and fusion across steps), then the remaining {@code length % k} steps run one at a time. Every copy
 * applies the body's primitives to the same values as the one-step loop would, so the results are the same bit
 * for bit.
 */
final class ScanUnrolling {
    private ScanUnrolling() {}

    /** The scan's outputs (final carries, then the stacked per-step outputs) for operands {@code in}. */
    static DenseArray[] run(ScanLoop s, DenseArray[] in, Aval[] outAvals) {
        int c = s.numConsts();
        int m = s.numCarries();
        int n = s.length();
        int numYs = outAvals.length - m;
        DenseArray[] xs = Arrays.copyOfRange(in, c + m, in.length);
        Object[] ys = new Object[numYs];
        for (int k = 0; k < numYs; k++) {
            ys[k] = DenseArray.allocate(outAvals[m + k].dtype(), outAvals[m + k].size());
        }
        DenseArray[] carry = Arrays.copyOfRange(in, c, c + m);
        int k = Math.min(s.unroll(), n);
        int step = 0;
        ClosedProgram block = k > 1 ? ControlFlowCache.derived(s, "unroll", List.of(), () -> unrolled(s, k),
                b -> ControlFlowCache.noTracers(List.of(b))) : null;
        if (block != null && block.consts().stream().allMatch(x -> x instanceof DenseArray)) {
            int nc = block.consts().size();
            DenseArray[] blockIn = new DenseArray[nc + c + m + k * xs.length];
            for (int i = 0; i < nc; i++) {
                blockIn[i] = (DenseArray) block.consts().get(i);
            }
            System.arraycopy(in, 0, blockIn, nc, c);
            for (; step + k <= n; step += k) {
                System.arraycopy(carry, 0, blockIn, nc + c, m);
                for (int u = 0; u < k; u++) {
                    for (int i = 0; i < xs.length; i++) {
                        blockIn[nc + c + m + u * xs.length + i] = ScanSlices.row(xs[i], index(s, step + u), n);
                    }
                }
                DenseArray[] out = JitExecution.run(block.program(), blockIn);
                System.arraycopy(out, 0, carry, 0, m);
                for (int u = 0; u < k; u++) {
                    for (int y = 0; y < numYs; y++) {
                        ScanSlices.put(ys[y], out[m + u * numYs + y], index(s, step + u));
                    }
                }
            }
        }
        DenseArray[] bodyIn = Arrays.copyOf(in, in.length);
        System.arraycopy(carry, 0, bodyIn, c, m);
        for (; step < n; step++) {
            int t = index(s, step);
            for (int i = 0; i < xs.length; i++) {
                bodyIn[c + m + i] = ScanSlices.row(xs[i], t, n);
            }
            DenseArray[] out = JitExecution.run(s.body(), bodyIn);
            System.arraycopy(out, 0, bodyIn, c, m);
            for (int y = 0; y < numYs; y++) {
                ScanSlices.put(ys[y], out[m + y], t);
            }
        }
        DenseArray[] result = new DenseArray[outAvals.length];
        System.arraycopy(bodyIn, c, result, 0, m);
        for (int y = 0; y < numYs; y++) {
            result[m + y] = DenseArray.wrap(outAvals[m + y], ys[y]);
        }
        return result;
    }

    /** The slice that step {@code step} reads and writes. */
    private static int index(ScanLoop s, int step) {
        return s.reverse() ? s.length() - 1 - step : step;
    }

    /**
     * {@code k} copies of the body: (captures, carries, k groups of slices) to (carries, k groups of output slices),
     * the i-th group being the i-th step of the block.
     */
    private static ClosedProgram unrolled(ScanLoop s, int k) {
        Program body = s.body();
        int c = s.numConsts();
        int m = s.numCarries();
        int nx = s.numXs();
        Aval[] bodyAvals = body.inAvals();
        List<Aval> avals = new ArrayList<>(Arrays.asList(bodyAvals).subList(0, c + m));
        for (int u = 0; u < k; u++) {
            avals.addAll(Arrays.asList(bodyAvals).subList(c + m, c + m + nx));
        }
        return Staging.trace(args -> {
            Array[] in = Arrays.copyOf(args, c + m + nx);
            List<Array> ys = new ArrayList<>();
            for (int u = 0; u < k; u++) {
                System.arraycopy(args, c + m + u * nx, in, c + m, nx);
                Array[] out = body.evaluate(in);
                for (int j = 0; j < out.length; j++) {
                    Array o = Zero.isZero(out[j]) ? Zero.instantiate(out[j]) : out[j];
                    if (j < m) {
                        in[c + j] = o;
                    } else {
                        ys.add(o);
                    }
                }
            }
            List<Array> outs = new ArrayList<>(Arrays.asList(in).subList(c, c + m));
            outs.addAll(ys);
            return outs.toArray(Array[]::new);
        }, avals.toArray(Aval[]::new));
    }
}
