package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreters;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** The rules of {@link ScanLoop}: scans of derived bodies ({@link ProgramTransforms}), traced on each use. */
final class ScanRules {
    private ScanRules() {}

    /** The operands of a scan, by role. */
    record Parts(List<Array> consts, List<Array> carries, List<Array> xs) {
        static Parts of(ScanLoop s, Array[] operands) {
            List<Array> all = Arrays.asList(operands);
            int c = s.numConsts();
            int m = s.numCarries();
            return new Parts(all.subList(0, c), all.subList(c, c + m), all.subList(c + m, all.size()));
        }
    }

    /** Binds a scan of a closed body taking (its captures, {@code consts}, carries, slices of {@code xs}). */
    static Array[] bind(ClosedProgram body, List<Array> consts, List<Array> carries, List<Array> xs, int length,
            boolean reverse) {
        List<Array> ops = new ArrayList<>(body.consts());
        ops.addAll(consts);
        ops.addAll(carries);
        ops.addAll(xs);
        ScanLoop s = new ScanLoop(body.program(), body.consts().size() + consts.size(), carries.size(), length,
                reverse);
        return Interpreters.bind(s, ops.toArray(Array[]::new));
    }

    /** Avals of a body's inputs: captures and carries as they are, slices of the scanned inputs. */
    static List<Aval> bodyAvals(List<Array> consts, List<Array> carries, List<Array> xs, int length) {
        List<Aval> avals = CondRules.avals(consts);
        avals.addAll(CondRules.avals(carries));
        for (Array x : xs) {
            avals.add(ScanSlices.rowAval(x.aval(), length, "scan input"));
        }
        return avals;
    }

    // ---- JVP ------------------------------------------------------------------------------------------------

    /**
     * A scan of the body's JVP: tangents of the captures join the captures, tangents of the carries that can
     * become nonzero (a fixed point over the body) join the carries, tangents of the inputs join the inputs.
     */
    static Array[][] jvp(ScanLoop s, Array[] primals, Array[] tangents) {
        int n = primals.length;
        int c = s.numConsts();
        int m = s.numCarries();
        boolean[] nz = new boolean[n];
        for (int i = 0; i < n; i++) {
            nz[i] = !Zero.isZero(tangents[i]);
        }
        Parts p = Parts.of(s, primals);
        List<Aval> avals = bodyAvals(p.consts(), p.carries(), p.xs(), s.length());
        boolean[] zeros = ProgramTransforms.jvpCarryFixedPoint(s.body(), avals, nz, c, m);
        int outs = s.body().outputs().size();
        boolean[] yNz = new boolean[outs - m];
        for (int k = 0; k < yNz.length; k++) {
            yNz[k] = !zeros[outs + m + k];
        }
        List<List<Array>> roles = List.of(p.consts(), p.carries(), p.xs());
        List<List<Array>> withT = new ArrayList<>();
        int base = 0;
        for (List<Array> role : roles) {
            List<Array> r = new ArrayList<>(role);
            for (int i = 0; i < role.size(); i++) {
                if (nz[base + i]) {
                    r.add(Zero.instantiate(tangents[base + i]));
                }
            }
            withT.add(r);
            base += role.size();
        }
        int[] counts = {withT.get(0).size(), withT.get(1).size(), withT.get(2).size()};
        ClosedProgram body = CondRules.trace(
                jvpBody(s, nz, counts, yNz), bodyAvals(withT.get(0), withT.get(1), withT.get(2), s.length()), null);
        Array[] r = bind(body, withT.get(0), withT.get(1), withT.get(2), s.length(), s.reverse());
        // results: carries, carry tangents (nonzero ones), ys, y tangents (nonzero ones)
        Array[] primalOut = new Array[outs];
        Array[] tangentOut = new Array[outs];
        int k = 0;
        for (int j = 0; j < m; j++) {
            primalOut[j] = r[k++];
        }
        for (int j = 0; j < m; j++) {
            tangentOut[j] = nz[c + j] ? r[k++] : Zero.of(primalOut[j].aval());
        }
        for (int j = m; j < outs; j++) {
            primalOut[j] = r[k++];
        }
        for (int j = m; j < outs; j++) {
            tangentOut[j] = yNz[j - m] ? r[k++] : Zero.of(primalOut[j].aval());
        }
        return new Array[][] {primalOut, tangentOut};
    }

    /**
     * The JVP body in scan layout: (captures, their tangents, carries, their tangents, slices, their tangents) to
     * (carries, nonzero carry tangents, output slices, nonzero output tangents).
     */
    private static Function<Array[], Array[]> jvpBody(ScanLoop s, boolean[] nz, int[] counts, boolean[] yNz) {
        int c = s.numConsts();
        int m = s.numCarries();
        int x = s.numXs();
        int[] sizes = {c, m, x};
        Function<Array[], Array[]> jvp = ProgramTransforms.jvp(s.body(), nz);
        return args -> {
            List<Array> primal = new ArrayList<>();
            List<Array> tangent = new ArrayList<>();
            int at = 0;
            for (int role = 0; role < 3; role++) {
                primal.addAll(List.of(args).subList(at, at + sizes[role]));
                tangent.addAll(List.of(args).subList(at + sizes[role], at + counts[role]));
                at += counts[role];
            }
            primal.addAll(tangent);
            Array[] r = jvp.apply(primal.toArray(Array[]::new));
            int outs = r.length / 2;
            List<Array> out = new ArrayList<>(List.of(r).subList(0, m));
            for (int j = 0; j < m; j++) {
                if (nz[c + j]) {
                    out.add(r[outs + j]);
                }
            }
            out.addAll(List.of(r).subList(m, outs));
            for (int j = m; j < outs; j++) {
                if (yNz[j - m]) {
                    out.add(r[outs + j]);
                }
            }
            return out.toArray(Array[]::new);
        };
    }

    // ---- batching -------------------------------------------------------------------------------------------

    /**
     * vmap of a scan: a scan of the vmapped body. Carries that can vary (fixed point) carry the batch on axis 0;
     * batched inputs carry it on axis 1 (so each slice has it on axis 0), and so do the stacked outputs.
     */
    static Batched batch(ScanLoop s, Array[] vals, int[] dims, int axisSize) {
        int c = s.numConsts();
        int m = s.numCarries();
        Parts p = Parts.of(s, vals);
        boolean[] carryB = new boolean[m];
        for (int j = 0; j < m; j++) {
            carryB[j] = dims[c + j] != Batched.NOT_BATCHED;
        }
        List<Array> xs = new ArrayList<>();
        for (int i = 0; i < p.xs().size(); i++) {
            int d = dims[c + m + i];
            xs.add(d == Batched.NOT_BATCHED ? p.xs().get(i) : moveAxis(p.xs().get(i), d, 1));
        }
        int[] bodyDims = new int[vals.length];
        System.arraycopy(dims, 0, bodyDims, 0, c);
        for (int i = 0; i < xs.size(); i++) {
            bodyDims[c + m + i] = dims[c + m + i] == Batched.NOT_BATCHED ? Batched.NOT_BATCHED : 0;
        }
        List<Array> carries = new ArrayList<>();
        while (true) {
            carries.clear();
            for (int j = 0; j < m; j++) {
                Array v = p.carries().get(j);
                carries.add(carryB[j] ? WhileRules.toFront(v, dims[c + j], axisSize) : v);
                bodyDims[c + j] = carryB[j] ? 0 : Batched.NOT_BATCHED;
            }
            boolean[] out = ProgramTransforms.batchedOutputs(s.body(), bodyAvals(p.consts(), carries, xs, s.length()),
                    bodyDims, axisSize);
            if (!ProgramTransforms.growCarries(carryB, out)) {
                break;
            }
        }
        ClosedProgram body = CondRules.trace(ProgramTransforms.vmapOut("vmap of scan", s.body(), bodyDims, axisSize,
                o -> o < m && !carryB[o] ? Vectorize.NOT_MAPPED : 0), bodyAvals(p.consts(), carries, xs, s.length()),
                null);
        Array[] outs = bind(body, p.consts(), carries, xs, s.length(), s.reverse());
        int[] outDims = new int[outs.length];
        for (int j = 0; j < outs.length; j++) {
            outDims[j] = j < m ? (carryB[j] ? 0 : Batched.NOT_BATCHED) : 1;
        }
        return new Batched(outs, outDims);
    }

    /** {@code x} with axis {@code from} moved to position {@code to}. */
    static Array moveAxis(Array x, int from, int to) {
        if (from == to) {
            return x;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < x.ndim(); i++) {
            if (i != from) {
                order.add(i);
            }
        }
        order.add(to, from);
        return Ops.transpose(x, order.stream().mapToInt(Integer::intValue).toArray());
    }

    // ---- transpose ------------------------------------------------------------------------------------------

    /**
     * The transpose of a scan linear in its carries and in some captures and inputs: a scan in the other
     * direction whose carries are the cotangents of the linear captures (summed over iterations) and of the
     * carries, whose inputs are the known inputs and the output cotangents, and whose outputs are the cotangents
     * of the linear inputs.
     */
    static Array[] transpose(ScanLoop s, Array[] cts, Array[] args) {
        int c = s.numConsts();
        int m = s.numCarries();
        int n = args.length;
        boolean[] linear = new boolean[n];
        boolean[] defined = new boolean[n];
        for (int i = 0; i < n; i++) {
            defined[i] = !UndefinedPrimal.isUndefined(args[i]);
            // a carry is linear even when its initial value is a known constant (a tangent made nonzero only by
            // the body starts as an instantiated zero): the body is linear in it, so its value only adds an offset
            linear[i] = !defined[i] || (i >= c && i < c + m);
        }
        List<Array> knownConsts = new ArrayList<>();
        List<Array> constAcc = new ArrayList<>();
        List<Array> knownXs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i < c) {
                if (linear[i]) {
                    constAcc.add(Zero.instantiate(Zero.of(args[i].aval())));
                } else {
                    knownConsts.add(args[i]);
                }
            } else if (i >= c + m && !linear[i]) {
                knownXs.add(args[i]);
            }
        }
        List<Array> carries = new ArrayList<>(constAcc);
        for (int j = 0; j < m; j++) {
            carries.add(Zero.instantiate(cts[j]));
        }
        List<Array> xs = new ArrayList<>(knownXs);
        for (int j = m; j < cts.length; j++) {
            xs.add(Zero.instantiate(cts[j]));
        }
        int numAcc = constAcc.size();
        int numKnownXs = knownXs.size();
        boolean[] allCts = new boolean[cts.length];
        Arrays.fill(allCts, true);
        Function<Array[], Array[]> backward = ProgramTransforms.transpose(s.body(), linear, allCts);
        ClosedProgram body = CondRules.trace(a -> {
            // (known captures, accumulators, carry cts, known slices, output-slice cts)
            int kc = knownConsts.size();
            List<Array> in = new ArrayList<>(List.of(a).subList(0, kc));
            int at = kc + numAcc;
            List<Array> carryCts = List.of(a).subList(at, at + m);
            in.addAll(List.of(a).subList(at + m, at + m + numKnownXs));
            in.addAll(carryCts);
            in.addAll(List.of(a).subList(at + m + numKnownXs, a.length));
            Array[] r = backward.apply(in.toArray(Array[]::new)); // linear captures, carries, linear slices
            List<Array> out = new ArrayList<>();
            for (int i = 0; i < numAcc; i++) {
                out.add(Ops.add(a[kc + i], Zero.instantiate(r[i])));
            }
            for (int j = 0; j < m; j++) {
                out.add(Zero.instantiate(r[numAcc + j]));
            }
            for (int i = numAcc + m; i < r.length; i++) {
                out.add(Zero.instantiate(r[i]));
            }
            return out.toArray(Array[]::new);
        }, bodyAvals(knownConsts, carries, xs, s.length()), null);
        Array[] r = bind(body, knownConsts, carries, xs, s.length(), !s.reverse());
        Array[] result = new Array[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            Array ct = linear[i] ? r[k++] : null;
            result[i] = defined[i] ? Zero.of(args[i].aval()) : ct;
        }
        return result;
    }
}
