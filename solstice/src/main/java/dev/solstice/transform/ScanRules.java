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
import java.util.function.IntFunction;

/**
 * The rules of {@link ScanLoop}: scans of derived bodies ({@link ProgramTransforms}), memoised per scan and variant
 * ({@link ControlFlowCache}).
 */
final class ScanRules {
    private ScanRules() {}

    /** The operands of a scan, by role. */
    record Parts(List<Array> consts, List<Array> carries, List<Array> xs) {
        List<Array> all() {
            List<Array> out = new ArrayList<>(consts);
            out.addAll(carries);
            out.addAll(xs);
            return out;
        }

        static Parts of(ScanLoop s, Array[] operands) {
            List<Array> all = Arrays.asList(operands);
            int c = s.numConsts();
            int m = s.numCarries();
            return new Parts(all.subList(0, c), all.subList(c, c + m), all.subList(c + m, all.size()));
        }
    }

    /**
     * A scan's loop parameters.
     *
     * @param length the number of steps
     * @param reverse whether the steps run from the last slice to the first
     * @param unroll how many body copies one iteration runs
     */
    record Loop(int length, boolean reverse, int unroll) {
        static Loop of(ScanLoop s) {
            return new Loop(s.length(), s.reverse(), s.unroll());
        }

        Loop reversed() {
            return new Loop(length, !reverse, unroll);
        }
    }

    /** Binds a scan of a closed body taking (its captures, {@code consts}, carries, slices of {@code xs}). */
    static Array[] bind(ClosedProgram body, List<Array> consts, List<Array> carries, List<Array> xs, Loop loop) {
        List<Array> ops = new ArrayList<>(body.consts());
        ops.addAll(consts);
        ops.addAll(carries);
        ops.addAll(xs);
        ScanLoop s = new ScanLoop(body.program(), body.consts().size() + consts.size(), carries.size(), loop.length(),
                loop.reverse(), loop.unroll());
        return Interpreters.bind(s, ops.toArray(Array[]::new));
    }

    /** Avals of a body's inputs: captures and carries as they are, slices of the scanned inputs. */
    static List<Aval> bodyAvals(List<Array> consts, List<Array> carries, List<Array> xs, int length) {
        return sliceAvals(CondRules.avals(consts), CondRules.avals(carries), CondRules.avals(xs), length);
    }

    /** {@link #bodyAvals} of the operands' avals. */
    static List<Aval> sliceAvals(List<Aval> consts, List<Aval> carries, List<Aval> xs, int length) {
        List<Aval> avals = new ArrayList<>(consts);
        avals.addAll(carries);
        for (Aval x : xs) {
            avals.add(ScanSlices.rowAval(x, length, "scan input"));
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
        int outs = s.body().outputs().size();
        List<Object> variant = List.of(ControlFlowCache.mask(nz), CondRules.avals(List.of(primals)));
        Derived d = ControlFlowCache.derived(s, "jvp", variant, () -> traceJvp(s, p, nz), Derived::reusable);
        boolean[] carryNz = d.mask(); // the fixed point: which carry tangents can become nonzero
        System.arraycopy(carryNz, 0, nz, c, m);
        boolean[] yNz = Arrays.copyOfRange(carryNz, m, carryNz.length);
        List<List<Array>> withT = withTangents(p, nz, i -> Zero.instantiate(tangents[i]));
        Array[] r = bind(d.body(), withT.get(0), withT.get(1), withT.get(2), Loop.of(s));
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

    /** Each role's operands followed by the tangents ({@code tangent.apply(operand index)}) of those marked {@code nz}. */
    private static List<List<Array>> withTangents(Parts p, boolean[] nz, IntFunction<Array> tangent) {
        List<List<Array>> withT = new ArrayList<>();
        int base = 0;
        for (List<Array> role : List.of(p.consts(), p.carries(), p.xs())) {
            List<Array> r = new ArrayList<>(role);
            for (int i = 0; i < role.size(); i++) {
                if (nz[base + i]) {
                    r.add(tangent.apply(base + i));
                }
            }
            withT.add(r);
            base += role.size();
        }
        return withT;
    }

    /**
     * A derived body, memoised per scan, rule and variant.
     *
     * @param body the derived body, closed
     * @param mask JVP: which carry tangents (then output tangents) are nonzero; batching: which carries are batched
     */
    private record Derived(ClosedProgram body, boolean[] mask) {
        boolean reusable() {
            return ControlFlowCache.noTracers(List.of(body));
        }
    }

    /** The JVP body for the nonzero tangents {@code nz} of the operands {@code p}; carry tangents to a fixed point. */
    private static Derived traceJvp(ScanLoop s, Parts p, boolean[] nonzero) {
        int c = s.numConsts();
        int m = s.numCarries();
        boolean[] nz = nonzero.clone();
        List<Aval> avals = bodyAvals(p.consts(), p.carries(), p.xs(), s.length());
        boolean[] zeros = ProgramTransforms.jvpCarryFixedPoint(s.body(), avals, nz, c, m);
        int outs = s.body().outputs().size();
        boolean[] yNz = new boolean[outs - m];
        for (int k = 0; k < yNz.length; k++) {
            yNz[k] = !zeros[outs + m + k];
        }
        List<List<Array>> withT = withTangents(p, nz, i -> p.all().get(i)); // only the avals matter here
        int[] counts = {withT.get(0).size(), withT.get(1).size(), withT.get(2).size()};
        List<Aval> bodyAvals = bodyAvals(withT.get(0), withT.get(1), withT.get(2), s.length());
        ClosedProgram body = CondRules.trace(jvpBody(s, nz, counts, yNz), bodyAvals, null);
        boolean[] mask = Arrays.copyOf(Arrays.copyOfRange(nz, c, c + m), m + yNz.length);
        System.arraycopy(yNz, 0, mask, m, yNz.length);
        return new Derived(body, mask);
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
    static Batched batch(ScanLoop s, Array[] vals, int[] dims, int axisSize, String axisName) {
        int c = s.numConsts();
        int m = s.numCarries();
        Parts p = Parts.of(s, vals);
        List<Object> variant = ControlFlowCache.batchVariant(vals, dims, axisSize, axisName);
        Derived d = ControlFlowCache.derived(s, "batch", variant, () -> traceBatch(s, vals, dims, axisSize, axisName),
                Derived::reusable);
        boolean[] carryB = d.mask();
        List<Array> xs = new ArrayList<>();
        for (int i = 0; i < p.xs().size(); i++) {
            int dim = dims[c + m + i];
            xs.add(dim == Batched.NOT_BATCHED ? p.xs().get(i) : moveAxis(p.xs().get(i), dim, 1));
        }
        List<Array> carries = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            Array v = p.carries().get(j);
            carries.add(carryB[j] ? WhileRules.toFront(v, dims[c + j], axisSize) : v);
        }
        Array[] outs = bind(d.body(), p.consts(), carries, xs, Loop.of(s));
        int[] outDims = new int[outs.length];
        for (int j = 0; j < outs.length; j++) {
            outDims[j] = j < m ? (carryB[j] ? 0 : Batched.NOT_BATCHED) : 1;
        }
        return new Batched(outs, outDims);
    }

    /**
     * The vmapped body for operands batched on {@code dims}, in the layout {@link #batch} passes them: batched
     * carries on axis 0 (those that can vary, a fixed point), batched inputs on axis 1 (each slice on axis 0).
     */
    private static Derived traceBatch(ScanLoop s, Array[] vals, int[] dims, int axisSize, String axisName) {
        int c = s.numConsts();
        int m = s.numCarries();
        boolean[] carryB = new boolean[m];
        for (int j = 0; j < m; j++) {
            carryB[j] = dims[c + j] != Batched.NOT_BATCHED;
        }
        List<Aval> consts = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            consts.add(vals[i].aval());
        }
        List<Aval> xs = new ArrayList<>();
        int[] bodyDims = new int[vals.length];
        System.arraycopy(dims, 0, bodyDims, 0, c);
        for (int i = c + m; i < vals.length; i++) {
            boolean batched = dims[i] != Batched.NOT_BATCHED;
            xs.add(batched ? movedAval(vals[i].aval(), dims[i], 1) : vals[i].aval());
            bodyDims[i] = batched ? 0 : Batched.NOT_BATCHED;
        }
        List<Aval> avals;
        while (true) {
            List<Aval> carries = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                Aval a = vals[c + j].aval();
                carries.add(carryB[j] ? WhileRules.frontAval(a, dims[c + j], axisSize) : a);
                bodyDims[c + j] = carryB[j] ? 0 : Batched.NOT_BATCHED;
            }
            avals = sliceAvals(consts, carries, xs, s.length());
            boolean[] out = ProgramTransforms.batchedOutputs(s.body(), avals, bodyDims, axisSize);
            if (!ProgramTransforms.growCarries(carryB, out)) {
                break;
            }
        }
        ClosedProgram body = CondRules.trace(ProgramTransforms.vmapOut("vmap of scan", s.body(), bodyDims, axisSize,
                o -> o < m && !carryB[o] ? Vectorize.NOT_MAPPED : 0, axisName), avals, null);
        return new Derived(body, carryB);
    }

    /** {@code x} with axis {@code from} moved to position {@code to}. */
    static Array moveAxis(Array x, int from, int to) {
        return from == to ? x : Ops.transpose(x, moveOrder(x.ndim(), from, to));
    }

    /** The aval of {@link #moveAxis}'s result. */
    private static Aval movedAval(Aval a, int from, int to) {
        int[] order = moveOrder(a.rank(), from, to);
        int[] shape = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            shape[i] = a.shape()[order[i]];
        }
        return new Aval(a.dtype(), shape);
    }

    /** The permutation of {@code rank} axes that moves axis {@code from} to position {@code to}. */
    private static int[] moveOrder(int rank, int from, int to) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (i != from) {
                order.add(i);
            }
        }
        order.add(to, from);
        return order.stream().mapToInt(Integer::intValue).toArray();
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
        List<Aval> avals = bodyAvals(knownConsts, carries, xs, s.length());
        List<Object> variant = List.of(ControlFlowCache.mask(defined), avals);
        ClosedProgram body = ControlFlowCache.derived(s, "transpose", variant, () -> traceTranspose(s, linear, allCts,
                knownConsts.size(), numAcc, numKnownXs, avals), b -> ControlFlowCache.noTracers(List.of(b)));
        Array[] r = bind(body, knownConsts, carries, xs, Loop.of(s).reversed());
        Array[] result = new Array[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            Array ct = linear[i] ? r[k++] : null;
            result[i] = defined[i] ? Zero.of(args[i].aval()) : ct;
        }
        return result;
    }

    /**
     * The backward body: (known captures, accumulators of the linear captures' cotangents, carry cotangents, known
     * slices, output-slice cotangents) to (accumulators, carry cotangents, cotangents of the linear slices).
     */
    private static ClosedProgram traceTranspose(ScanLoop s, boolean[] linear, boolean[] allCts, int kc, int numAcc,
            int numKnownXs, List<Aval> avals) {
        int m = s.numCarries();
        Function<Array[], Array[]> backward = ProgramTransforms.transpose(s.body(), linear, allCts);
        return CondRules.trace(a -> {
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
        }, avals, null);
    }
}
