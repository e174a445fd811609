package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Shapes;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.prim.Ops;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Structured control flow on trees, the machinery behind {@code Lax.cond}, {@code Lax.switchCase} and the loops:
 * bodies and branches are staged to closed programs (in eager mode too, as JAX does), so that every
 * transformation sees one primitive. Functions are traced on every call and the programs made canonical by
 * structure ({@link ControlFlowCache}), so a repeated call compiles nothing and reads the functions' state afresh.
 */
public final class ControlFlow {
    private ControlFlow() {}

    /**
     * Applies {@code branches[index]} to {@code operand}, the index clamped to the branches' range as JAX's
     * {@code lax.switch} does; every branch is traced, only the chosen one runs.
     */
    public static <T, R> R switchCase(String op, Array index, List<? extends Function<T, R>> branches, T operand) {
        if (branches.isEmpty()) {
            throw new IllegalArgumentException(op + ": needs at least one branch");
        }
        if (index.ndim() != 0 || !(index.dtype().isInteger() || index.dtype() == DType.BOOL)) {
            throw new IllegalArgumentException(op + ": the predicate or index must be a bool or integer scalar, got "
                    + index.aval().str());
        }
        Array i = Ops.convert(index, DType.INT32); // as JAX's switch: converted (wrapping), then clamped
        if (index.dtype() != DType.BOOL) {
            i = Ops.max(Ops.min(i, intScalar(branches.size() - 1)), intScalar(0));
        }
        Tree.Flattened in = Tree.flatten(operand);
        Aval[] inAvals = Shapes.avals(in.leaves());
        List<ClosedProgram> programs = new ArrayList<>();
        TreeStaging.Staged first = null;
        for (int b = 0; b < branches.size(); b++) {
            TreeStaging.Staged s = TreeStaging.stage(op, branches.get(b), in.def(), inAvals);
            if (first == null) {
                first = s;
            } else {
                TreeStaging.checkSame(op, branchName(op, 0), first.outDef(), first.outPaths(), first.outAvals(),
                        branchName(op, b), s);
            }
            programs.add(ControlFlowCache.canonical(s.program()));
        }
        Array[] outs = CondRules.bind(i, programs, in.leaves());
        return Tree.unflatten(first.outDef(), Arrays.asList(outs));
    }

    /**
     * Applies {@code body} to the carry while {@code cond} of it holds, as {@code lax.while_loop}: both are
     * traced once; the body must return a carry of the initial carry's structure, shapes and dtypes.
     */
    public static <C> C whileLoop(String op, Function<C, Array> cond, UnaryOperator<C> body, C init) {
        Tree.Flattened in = Tree.flatten(init);
        Aval[] inAvals = Shapes.avals(in.leaves());
        TreeStaging.Staged pred = TreeStaging.stage(op, cond, in.def(), inAvals);
        Aval[] p = pred.outAvals();
        if (p.length != 1 || p[0].dtype() != DType.BOOL || p[0].rank() != 0) {
            throw new IllegalArgumentException(op + ": the predicate must return a bool scalar, got "
                    + Arrays.toString(Arrays.stream(p).map(Aval::str).toArray()));
        }
        TreeStaging.Staged step = TreeStaging.stage(op, body, in.def(), inAvals);
        checkCarry(op, init, inAvals, "the body", step);
        Array[] outs = WhileRules.bind(ControlFlowCache.canonical(pred.program()),
                ControlFlowCache.canonical(step.program()), List.of(), List.of(), in.leaves());
        return Tree.unflatten(in.def(), Arrays.asList(outs));
    }

    /** Checks that a body returns a carry like {@code init}. */
    static void checkCarry(String op, Object init, Aval[] initAvals, String what, TreeStaging.Staged step) {
        checkCarry(op, init, initAvals, what, step.outDef(), step.outAvals());
    }

    private static void checkCarry(String op, Object init, Aval[] initAvals, String what, TreeDef def, Aval[] avals) {
        List<KeyPath> paths = new ArrayList<>();
        for (Tree.PathLeaf pl : Tree.leavesWithPath(init)) {
            paths.add(pl.path());
        }
        TreeStaging.checkSame(op, "the initial carry", Tree.structure(init), paths, initAvals, what
                + " (its carry must keep the initial carry's structure, shapes and dtypes)", def, avals);
    }

    /**
     * Scans {@code f} over the leading axis of every leaf of {@code xs} (or {@code length} times when {@code xs}
     * is null), as {@code lax.scan}: {@code f} maps (carry, slice) to {carry, y} and is traced once whatever the
     * length; each iteration of the loop runs {@code unroll} steps; returns {final carry, the ys stacked along a new
     * leading axis (null when the body returns null)}.
     */
    public static <C, X> Object[] scan(String op, BiFunction<C, X, Object[]> f, C init, X xs, boolean reverse,
            int length, int unroll) {
        Tree.Flattened carry = Tree.flatten(init);
        Tree.Flattened in = xs == null ? null : Tree.flatten(xs);
        int n = xs == null ? length : scanLength(op, xs, length);
        Aval[] carryAvals = Shapes.avals(carry.leaves());
        List<Aval> avals = new ArrayList<>(List.of(carryAvals));
        List<Array> xLeaves = in == null ? List.of() : in.leaves();
        for (Array x : xLeaves) {
            avals.add(ScanSlices.rowAval(x.aval(), n, op + ": an input"));
        }
        int m = carryAvals.length;
        TreeDef[] yDef = new TreeDef[1];
        ClosedProgram body = Staging.trace(args -> {
            C c = Tree.unflatten(carry.def(), Arrays.asList(args).subList(0, m));
            X x = in == null ? null : Tree.unflatten(in.def(), Arrays.asList(args).subList(m, args.length));
            Object[] step = f.apply(c, x);
            Tree.Flattened next = Tree.flatten(step[0]);
            checkCarry(op, init, carryAvals, "the body", next.def(), Shapes.avals(next.leaves()));
            List<Array> out = new ArrayList<>(next.leaves());
            if (step[1] != null) {
                Tree.Flattened y = Tree.flatten(step[1]);
                yDef[0] = y.def();
                out.addAll(y.leaves());
            }
            return out.toArray(Array[]::new);
        }, avals.toArray(Aval[]::new));
        Array[] outs = ScanRules.bind(ControlFlowCache.canonical(body), List.of(), carry.leaves(), xLeaves,
                new ScanRules.Loop(n, reverse, unroll));
        C finalCarry = Tree.unflatten(carry.def(), Arrays.asList(outs).subList(0, m));
        Object ys = yDef[0] == null ? null : Tree.unflatten(yDef[0], Arrays.asList(outs).subList(m, outs.length));
        return new Object[] {finalCarry, ys};
    }

    /** The common leading length of the leaves of {@code xs} (which must agree with {@code length} if that is >= 0). */
    private static int scanLength(String op, Object xs, int length) {
        int n = length;
        String first = null;
        for (Tree.PathLeaf pl : Tree.leavesWithPath(xs)) {
            Array x = pl.leaf();
            String where = "the input at " + TreePaths.show(pl.path()) + " (" + x.aval().str() + ")";
            if (x.ndim() == 0) {
                throw new IllegalArgumentException(op + ": " + where + " has no leading axis to scan over");
            }
            if (n >= 0 && x.shape()[0] != n) {
                throw new IllegalArgumentException(op + ": " + where + " has leading length " + x.shape()[0]
                        + " but " + (first == null ? "the length given is " + n : first + " has " + n));
            }
            n = x.shape()[0];
            first = first == null ? where : first;
        }
        if (n < 0) {
            throw new IllegalArgumentException(op + ": xs has no leaves, so a length must be given");
        }
        return n;
    }

    private static String branchName(String op, int b) {
        if (op.equals("Lax.cond")) {
            return b == 0 ? "branch onFalse" : "branch onTrue";
        }
        return "branch " + b;
    }

    static Array intScalar(int v) {
        return DenseArray.full(new Aval(DType.INT32), v);
    }
}
