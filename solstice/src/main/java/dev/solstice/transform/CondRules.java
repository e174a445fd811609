package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.ByIdentity;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Const;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rules of {@link Cond}, each a cond of derived branch programs traced by {@link ProgramTransforms}, memoised
 * per cond and variant ({@link ControlFlowCache}).
 */
final class CondRules {
    private CondRules() {}

    /**
     * Binds a cond of closed branches: the cond's operands are the index, the values every branch captured (branch
     * 0's first), then {@code operands}; each branch program is widened to take them all.
     */
    static Array[] bind(Array index, List<ClosedProgram> branches, List<Array> operands) {
        List<Array> ops = new ArrayList<>();
        List<ByIdentity<Program>> programs = new ArrayList<>();
        List<Integer> numConsts = new ArrayList<>();
        for (ClosedProgram b : branches) {
            ops.addAll(b.consts());
            programs.add(new ByIdentity<>(b.program()));
            numConsts.add(b.consts().size());
        }
        ops.addAll(operands);
        // the widened branches are memoised, so that the same branch programs give the same cond (one executable)
        Cond cond = ControlFlowCache.derived(programs, "cond", numConsts, () -> {
            List<List<Aval>> constAvals = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                constAvals.add(atomAvals(branches.get(i).program().inputs().subList(0, numConsts.get(i))));
            }
            List<Program> widened = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                widened.add(widen(branches.get(i).program(), constAvals, i));
            }
            return new Cond(widened);
        });
        Array[] args = new Array[ops.size() + 1];
        args[0] = index;
        for (int i = 0; i < ops.size(); i++) {
            args[i + 1] = ops.get(i);
        }
        return Interpreters.bind(cond, args);
    }

    /**
     * Branch {@code i}'s program taking every branch's slot of leading inputs: its own first inputs fill slot
     * {@code i}, unused inputs the others; its remaining inputs follow.
     */
    static Program widen(Program p, List<List<Aval>> slots, int i) {
        int own = slots.get(i).size();
        List<Var> inputs = new ArrayList<>();
        for (int s = 0; s < slots.size(); s++) {
            if (s == i) {
                inputs.addAll(p.inputs().subList(0, own));
            } else {
                for (Aval a : slots.get(s)) {
                    inputs.add(new Var(a, -1));
                }
            }
        }
        inputs.addAll(p.inputs().subList(own, p.inputs().size()));
        return new Program(List.copyOf(inputs), p.eqns(), p.outputs());
    }

    // ---- JVP ------------------------------------------------------------------------------------------------

    /** Primal outputs and tangents: a cond of the branches' JVPs, on the operands and their nonzero tangents. */
    static Array[][] jvp(Cond c, Array[] primals, Array[] tangents) {
        int n = primals.length - 1;
        boolean[] nonzero = new boolean[n];
        List<Array> operands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            operands.add(primals[i + 1]);
        }
        for (int i = 0; i < n; i++) {
            nonzero[i] = !Zero.isZero(tangents[i + 1]);
            if (nonzero[i]) {
                operands.add(tangents[i + 1]);
            }
        }
        int m = c.branches().get(0).outputs().size();
        Derived d = derived(c, "jvp", operands, List.of(ControlFlowCache.mask(nonzero)), () -> {
            boolean[] zeroTangent = new boolean[m];
            Arrays.fill(zeroTangent, true);
            List<ClosedProgram> branches = new ArrayList<>();
            for (Program p : c.branches()) {
                boolean[][] zeros = new boolean[1][];
                branches.add(trace(ProgramTransforms.jvp(p, nonzero), avals(operands), zeros));
                for (int j = 0; j < m; j++) {
                    zeroTangent[j] &= zeros[0][m + j];
                }
            }
            return new Derived(branches, zeroTangent);
        });
        boolean[] zeroTangent = d.zeroResults();
        Array[] r = bind(primals[0], d.branches(), operands);
        Array[] outs = new Array[m];
        Array[] outTangents = new Array[m];
        for (int j = 0; j < m; j++) {
            outs[j] = r[j];
            outTangents[j] = zeroTangent[j] ? Zero.of(r[m + j].aval()) : r[m + j];
        }
        return new Array[][] {outs, outTangents};
    }

    // ---- batching -------------------------------------------------------------------------------------------

    /**
     * vmap of a cond. A shared index: a cond of the vmapped branches. A batched index: every branch runs on every
     * example and the results are selected per example; a branch's floating inputs are replaced by zeros in the
     * examples that do not take it, so that its derivative there (NaN for {@code sqrt} at 0, say) is cut off by a
     * select rather than multiplied by a zero cotangent (JAX's "double where").
     */
    static Batched batch(Cond c, Array[] vals, int[] dims, int axisSize, String axisName) {
        int n = vals.length - 1;
        Array[] outs;
        if (dims[0] == Batched.NOT_BATCHED) {
            int[] opDims = new int[n];
            List<Array> operands = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                opDims[i] = dims[i + 1];
                operands.add(vals[i + 1]);
            }
            List<Object> variant = List.of(ControlFlowCache.ints(opDims), axisSize, NamedAxisBatching.memoKey(axisName));
            Derived d = derived(c, "batch", operands, variant, () -> {
                List<ClosedProgram> branches = new ArrayList<>();
                for (Program p : c.branches()) {
                    branches.add(trace(ProgramTransforms.vmapOut("vmap of cond", p, opDims, axisSize, o -> 0, axisName), avals(operands),
                            null));
                }
                return new Derived(branches, null);
            });
            outs = bind(vals[0], d.branches(), operands);
        } else {
            outs = Vectorize.vmap("vmap of cond", args -> selectBranches(c, args), vals, dims, axisSize, o -> 0, axisName);
        }
        return new Batched(outs, new int[outs.length]);
    }

    /** One example of a cond with a batched index: every branch on masked inputs, then a select of the results. */
    private static Array[] selectBranches(Cond c, Array[] args) {
        int nb = c.branches().size();
        Array[][] results = new Array[nb][];
        Array[] taken = new Array[nb];
        Array index = Ops.max(Ops.min(args[0], ControlFlow.intScalar(nb - 1)), ControlFlow.intScalar(0)); // as eval
        for (int b = 0; b < nb; b++) {
            taken[b] = Ops.eq(index, ControlFlow.intScalar(b));
            Array[] in = new Array[args.length - 1];
            for (int i = 0; i < in.length; i++) {
                Array x = args[i + 1];
                in[i] = x.dtype().isFloating() ? Ops.select(broadcast(taken[b], x), x, Ops.zerosLike(x)) : x;
            }
            results[b] = c.branches().get(b).evaluate(in);
        }
        Array[] out = results[nb - 1].clone();
        for (int b = nb - 2; b >= 0; b--) {
            for (int j = 0; j < out.length; j++) {
                out[j] = Ops.select(broadcast(taken[b], out[j]), results[b][j], out[j]);
            }
        }
        return out;
    }

    /** A scalar broadcast to the shape of {@code like}. */
    static Array broadcast(Array scalar, Array like) {
        return like.ndim() == 0 ? scalar : Ops.broadcastInDim(scalar, like.shape(), new int[0]);
    }

    // ---- transpose ------------------------------------------------------------------------------------------

    /** A cond of the branches' backward passes, on the known operands and the nonzero cotangents. */
    static Array[] transpose(Cond c, Array[] cts, Array[] args) {
        if (UndefinedPrimal.isUndefined(args[0])) {
            throw new IllegalStateException("cond: the index cannot be a linear input");
        }
        int n = args.length - 1;
        boolean[] linear = new boolean[n];
        boolean[] nonzeroCt = new boolean[cts.length];
        List<Array> operands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            linear[i] = UndefinedPrimal.isUndefined(args[i + 1]);
            if (!linear[i]) {
                operands.add(args[i + 1]);
            }
        }
        for (int j = 0; j < cts.length; j++) {
            nonzeroCt[j] = !Zero.isZero(cts[j]);
            if (nonzeroCt[j]) {
                operands.add(cts[j]);
            }
        }
        Derived d = derived(c, "transpose", operands,
                List.of(ControlFlowCache.mask(linear), ControlFlowCache.mask(nonzeroCt)), () -> {
                    List<ClosedProgram> branches = new ArrayList<>();
                    for (Program p : c.branches()) {
                        branches.add(trace(ProgramTransforms.transpose(p, linear, nonzeroCt), avals(operands), null));
                    }
                    return new Derived(branches, null);
                });
        Array[] linearCts = bind(args[0], d.branches(), operands);
        Array[] result = new Array[args.length];
        result[0] = Zero.of(args[0].aval());
        int k = 0;
        for (int i = 0; i < n; i++) {
            result[i + 1] = linear[i] ? linearCts[k++] : Zero.of(args[i + 1].aval());
        }
        return result;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /**
     * Derived branches, memoised per cond, rule and variant.
     *
     * @param branches the derived branches, closed
     * @param zeroResults which results are symbolic zeros in every branch (JVP only)
     */
    private record Derived(List<ClosedProgram> branches, boolean[] zeroResults) {}

    /** The memoised {@code rule} of {@code c}; its key also holds the operands' avals. */
    private static Derived derived(Cond c, String rule, List<Array> operands, List<Object> variant,
            Supplier<Derived> make) {
        List<Object> key = new ArrayList<>(variant);
        key.add(avals(operands));
        return ControlFlowCache.derived(c, rule, key, make, d -> ControlFlowCache.noTracers(d.branches()));
    }

    /**
     * Traces a derived branch; symbolic-zero results are instantiated (every branch must return all outputs),
     * and {@code zeros[0]}, when given, records which were symbolic.
     */
    static ClosedProgram trace(Function<Array[], Array[]> fn, List<Aval> argAvals, boolean[][] zeros) {
        return Staging.trace(args -> {
            Array[] out = fn.apply(args);
            if (zeros != null) {
                zeros[0] = new boolean[out.length];
                for (int j = 0; j < out.length; j++) {
                    zeros[0][j] = Zero.isZero(out[j]);
                }
            }
            return out;
        }, argAvals.toArray(Aval[]::new));
    }

    /** The avals of {@code xs}, in a list that can grow. */
    static List<Aval> avals(List<Array> xs) {
        return new ArrayList<>(Arrays.asList(Shapes.avals(xs)));
    }

    static List<Aval> atomAvals(List<? extends Atom> xs) {
        List<Aval> out = new ArrayList<>();
        for (Atom x : xs) {
            out.add(x.aval());
        }
        return out;
    }

    static Const zeros(Aval aval) {
        return new Const(DenseArray.full(aval, 0));
    }
}
