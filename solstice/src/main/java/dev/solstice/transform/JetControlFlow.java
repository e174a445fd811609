package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Zero;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Taylor mode through the primitives that hold programs (cond, while, scan, checkpointed while), the companion of
 * {@link JetRules}: as their JVPs do, each becomes a primitive of its own kind whose programs are the jets of the
 * original ones, traced on flat arrays (a value with a series is its primal followed by its {@code order}
 * coefficients). So the branch is still chosen, and the loop still stops, when the program runs: under jit too,
 * with a traced index or predicate, and enclosing transformations see one primitive. Every floating carry and
 * output carries a series (zeros where it happens to be constant), so a loop's carries keep one structure; the
 * predicate of a while sees the primals only (it returns a bool, which has no series).
 */
final class JetControlFlow {
    private JetControlFlow() {}

    /** The outputs of {@code p} as values of {@code jet}, or {@code null} if {@code p} holds no programs. */
    static Array[] apply(JetInterpreter jet, Primitive p, Array[] args) {
        if (p instanceof Cond c) {
            return cond(jet, c, args);
        }
        if (p instanceof While w) {
            return whileLoop(jet, w, args);
        }
        if (p instanceof CheckpointedWhile cw) {
            return whileLoop(jet, cw.loop(), args); // forward mode only here: the checkpoints serve reverse mode
        }
        if (p instanceof ScanLoop s) {
            return scan(jet, s, args);
        }
        return null;
    }

    /** A cond of the branches' jets, chosen by the same index. */
    private static Array[] cond(JetInterpreter jet, Cond c, Array[] args) {
        int order = jet.order();
        List<Array> ops = List.of(args).subList(1, args.length);
        boolean[] in = owned(jet, ops);
        boolean[] out = floating(c.branches().get(0).outAvals());
        Aval[] flatIn = flatAvals(avals(ops), in, order).toArray(Aval[]::new);
        List<ClosedProgram> branches = new ArrayList<>();
        for (Program b : c.branches()) {
            branches.add(ControlFlowCache.canonical(Staging.trace(jetOf(b, in, out, order), flatIn)));
        }
        Array index = jet.primalOf(args[0]);
        Array[] r = jet.inParent(() -> CondRules.bind(index, branches, flatten(jet, ops, in)));
        return read(jet, r, out);
    }

    /** A while whose body is the body's jet and whose predicate reads the primal carries. */
    private static Array[] whileLoop(JetInterpreter jet, While w, Array[] args) {
        int order = jet.order();
        int nc = w.condConsts();
        int nb = w.bodyConsts();
        int m = w.numCarries();
        List<Array> all = List.of(args);
        List<Array> condConsts = new ArrayList<>();
        for (Array x : all.subList(0, nc)) {
            condConsts.add(jet.primalOf(x));
        }
        List<Array> bodyConsts = all.subList(nc, nc + nb);
        List<Array> carries = all.subList(nc + nb, nc + nb + m);
        boolean[] consts = owned(jet, bodyConsts);
        boolean[] carry = floating(avals(carries).toArray(Aval[]::new));
        List<Aval> flatCarries = flatAvals(avals(carries), carry, order);
        List<Aval> predAvals = avals(condConsts);
        predAvals.addAll(flatCarries);
        ClosedProgram pred = Staging.trace(a -> {
            Array[] in = new Array[nc + m];
            System.arraycopy(a, 0, in, 0, nc);
            for (int j = 0, pos = nc; j < m; j++) {
                in[nc + j] = a[pos];
                pos += carry[j] ? order + 1 : 1;
            }
            return w.cond().evaluate(in);
        }, predAvals.toArray(Aval[]::new));
        List<Aval> bodyAvals = flatAvals(avals(bodyConsts), consts, order);
        bodyAvals.addAll(flatCarries);
        ClosedProgram body = Staging.trace(jetOf(w.body(), concat(consts, carry), carry, order),
                bodyAvals.toArray(Aval[]::new));
        Array[] r = jet.inParent(() -> WhileRules.bind(ControlFlowCache.canonical(pred),
                ControlFlowCache.canonical(body), condConsts, flatten(jet, bodyConsts, consts),
                flatten(jet, carries, carry)));
        return read(jet, r, carry);
    }

    /** A scan of the body's jet: the coefficients of the scanned inputs are sliced, those of the outputs stacked. */
    private static Array[] scan(JetInterpreter jet, ScanLoop s, Array[] args) {
        int order = jet.order();
        int c = s.numConsts();
        int m = s.numCarries();
        List<Array> all = List.of(args);
        List<Array> consts = all.subList(0, c);
        List<Array> carries = all.subList(c, c + m);
        List<Array> xs = all.subList(c + m, args.length);
        boolean[] constSeries = owned(jet, consts);
        boolean[] out = floating(s.body().outAvals());
        boolean[] carry = Arrays.copyOf(out, m);
        boolean[] xSeries = owned(jet, xs);
        List<Aval> bodyAvals = flatAvals(avals(consts), constSeries, order);
        bodyAvals.addAll(flatAvals(avals(carries), carry, order));
        List<Aval> rows = new ArrayList<>();
        for (Array x : xs) {
            rows.add(ScanSlices.rowAval(x.aval(), s.length(), "scan input"));
        }
        bodyAvals.addAll(flatAvals(rows, xSeries, order));
        ClosedProgram body = Staging.trace(jetOf(s.body(), concat(concat(constSeries, carry), xSeries), out, order),
                bodyAvals.toArray(Aval[]::new));
        Array[] r = jet.inParent(() -> ScanRules.bind(ControlFlowCache.canonical(body),
                flatten(jet, consts, constSeries), flatten(jet, carries, carry), flatten(jet, xs, xSeries),
                ScanRules.Loop.of(s)));
        return read(jet, r, out);
    }

    /** The jet of {@code p} on flat arrays: inputs marked {@code in} come with series, outputs marked {@code out} get one. */
    private static Function<Array[], Array[]> jetOf(Program p, boolean[] in, boolean[] out, int order) {
        return args -> {
            JetInterpreter inner = new JetInterpreter(Interpreters.current(), order);
            Array[] values = read(inner, args, in);
            Array[] outs = Interpreters.runWith(inner, () -> p.evaluate(values));
            return flatten(inner, List.of(outs), out).toArray(Array[]::new);
        };
    }

    /** Each value's primal, followed by its coefficients where marked (zeros for a value without a series). */
    private static List<Array> flatten(JetInterpreter jet, List<Array> xs, boolean[] series) {
        List<Array> flat = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            Array primal = Zero.instantiate(jet.primalOf(xs.get(i)));
            flat.add(primal);
            if (series[i]) {
                Array[] c = jet.coeffsOf(xs.get(i));
                for (int k = 1; k <= jet.order(); k++) {
                    flat.add(c == null ? Ops.zerosLike(primal) : Zero.instantiate(c[k]));
                }
            }
        }
        return flat;
    }

    /** The values of flat arrays laid out by {@link #flatten}, those with a series lifted into {@code jet}. */
    private static Array[] read(JetInterpreter jet, Array[] flat, boolean[] series) {
        Array[] values = new Array[series.length];
        int pos = 0;
        for (int i = 0; i < series.length; i++) {
            if (series[i]) {
                Array[] c = new Array[jet.order() + 1];
                System.arraycopy(flat, pos, c, 0, c.length);
                values[i] = jet.lift(c);
                pos += c.length;
            } else {
                values[i] = flat[pos++];
            }
        }
        return values;
    }

    private static List<Aval> flatAvals(List<Aval> avals, boolean[] series, int order) {
        List<Aval> flat = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            for (int k = 0; k <= (series[i] ? order : 0); k++) {
                flat.add(avals.get(i));
            }
        }
        return flat;
    }

    private static List<Aval> avals(List<Array> xs) {
        List<Aval> out = new ArrayList<>();
        for (Array x : xs) {
            out.add(x.aval());
        }
        return out;
    }

    private static boolean[] owned(JetInterpreter jet, List<Array> xs) {
        boolean[] mask = new boolean[xs.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = jet.owns(xs.get(i));
        }
        return mask;
    }

    private static boolean[] floating(Aval[] avals) {
        boolean[] mask = new boolean[avals.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = avals[i].dtype().isFloating();
        }
        return mask;
    }

    private static boolean[] concat(boolean[] a, boolean[] b) {
        boolean[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
