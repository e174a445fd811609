package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Tracer;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rules of {@link JitCall} and {@link Remat} (every {@link ProgramCall}): each transformation of a call is a
 * call of the same kind of a derived program (its JVP, its vmap, its transpose, its halves under partial
 * evaluation), traced once per program and variant and memoised in a bounded cache, so repeated calls under a
 * transformation neither trace nor stage anew.
 */
final class JitRules {
    private JitRules() {}

    /** How many derived programs are kept (least recently used go first; a dropped one is traced again when needed). */
    private static final int MEMO_CAPACITY = 1024;
    private static final OnceCache<Key, Object> MEMO = new OnceCache<>(MEMO_CAPACITY);

    /** A memo key: the program (by identity), which rule, and the rule's variant (masks, batch axes). */
    private record Key(Program program, String rule, List<?> variant) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.program == program && k.rule.equals(rule) && k.variant.equals(variant);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(program) * 31 + rule.hashCode()) * 31 + variant.hashCode();
        }
    }

    /**
     * A derived program ready to bind: the call, the values its tracing captured (concrete arrays the rules
     * made), and which of the rule's results are symbolic zeros (not outputs of the program).
     */
    private record Derived(ProgramCall call, Array[] consts, boolean[] zeroResults, Aval[] resultAvals) {

        /** Binds the call under the current interpreter and puts the symbolic zeros back in place. */
        Array[] apply(List<Array> operands) {
            Array[] ops = new Array[consts.length + operands.size()];
            System.arraycopy(consts, 0, ops, 0, consts.length);
            for (int i = 0; i < operands.size(); i++) {
                ops[consts.length + i] = operands.get(i);
            }
            Array[] out = Interpreters.bind(call, ops);
            Array[] results = new Array[zeroResults.length];
            int k = 0;
            for (int i = 0; i < results.length; i++) {
                results[i] = zeroResults[i] ? Zero.of(resultAvals[i]) : out[k++];
            }
            return results;
        }
    }

    // ---- JVP ------------------------------------------------------------------------------------------------

    /** Primal outputs and output tangents: a jit call of the JVP program for this pattern of nonzero tangents. */
    static Array[][] jvp(ProgramCall call, Array[] primals, Array[] tangents) {
        int n = primals.length;
        boolean[] nonzero = new boolean[n];
        List<Array> operands = new ArrayList<>(List.of(primals));
        for (int i = 0; i < n; i++) {
            nonzero[i] = !Zero.isZero(tangents[i]);
            if (nonzero[i]) {
                operands.add(tangents[i]);
            }
        }
        Derived d = derived(call, "jvp", ints(nonzero), () -> traceJvp(call, nonzero));
        Array[] r = d.apply(operands);
        int m = call.program().outputs().size();
        Array[] outs = new Array[m];
        Array[] outTangents = new Array[m];
        System.arraycopy(r, 0, outs, 0, m);
        System.arraycopy(r, m, outTangents, 0, m);
        return new Array[][] {outs, outTangents};
    }

    private static Derived traceJvp(ProgramCall call, boolean[] nonzero) {
        Program p = call.program();
        int n = nonzero.length;
        List<Aval> avals = inputAvals(p);
        for (int i = 0; i < n; i++) {
            if (nonzero[i]) {
                avals.add(avals.get(i));
            }
        }
        return trace(call, call.function() + "_jvp", avals, ProgramTransforms.jvp(p, nonzero));
    }

    // ---- batching -------------------------------------------------------------------------------------------

    /**
     * vmap of a jit call: a jit call of the vmapped program; every output carries the batch on axis 0. With an
     * axis name ({@code null} for none) the program is vmapped under that name, so the collectives over it inside
     * act across this batch.
     */
    static Batched batch(ProgramCall call, Array[] vals, int[] dims, int axisSize, String axisName) {
        List<Object> variant = new ArrayList<>();
        List<Aval> avals = new ArrayList<>();
        for (int i = 0; i < vals.length; i++) {
            variant.add(dims[i]);
            avals.add(vals[i].aval());
        }
        variant.add(axisSize);
        variant.add(NamedAxisBatching.memoKey(axisName));
        Derived d = derived(call, "batch", variant, () -> trace(call, call.function() + "_vmap", avals,
                ProgramTransforms.vmapOut("vmap of jit", call.program(), dims, axisSize, o -> 0, axisName)));
        Array[] outs = d.apply(List.of(vals));
        return new Batched(outs, new int[outs.length]);
    }

    // ---- transpose ------------------------------------------------------------------------------------------

    /**
     * The transpose of a jit call linear in the operands marked {@link UndefinedPrimal}: a jit call of the
     * backward pass of its program (equations on known operands only are evaluated forward first, as JAX's
     * backward pass does).
     */
    static Array[] transpose(ProgramCall call, Array[] cts, Array[] args) {
        boolean[] linear = new boolean[args.length];
        boolean[] nonzeroCt = new boolean[cts.length];
        List<Array> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            linear[i] = UndefinedPrimal.isUndefined(args[i]);
            if (!linear[i]) {
                operands.add(args[i]);
            }
        }
        for (int j = 0; j < cts.length; j++) {
            nonzeroCt[j] = !Zero.isZero(cts[j]);
            if (nonzeroCt[j]) {
                operands.add(cts[j]);
            }
        }
        List<Integer> variant = ints(linear);
        variant.addAll(ints(nonzeroCt));
        Derived d = derived(call, "transpose", variant, () -> traceTranspose(call, linear, nonzeroCt));
        Array[] linearCts = d.apply(operands);
        Array[] result = new Array[args.length];
        int k = 0;
        for (int i = 0; i < args.length; i++) {
            result[i] = linear[i] ? linearCts[k++] : Zero.of(args[i].aval());
        }
        return result;
    }

    private static Derived traceTranspose(ProgramCall call, boolean[] linear, boolean[] nonzeroCt) {
        Program p = call.program();
        List<Aval> avals = new ArrayList<>();
        for (int i = 0; i < linear.length; i++) {
            if (!linear[i]) {
                avals.add(p.inputs().get(i).aval());
            }
        }
        for (int j = 0; j < nonzeroCt.length; j++) {
            if (nonzeroCt[j]) {
                avals.add(p.outputs().get(j).aval());
            }
        }
        return trace(call, call.function() + "_transpose", avals, ProgramTransforms.transpose(p, linear, nonzeroCt));
    }

    // ---- partial evaluation ---------------------------------------------------------------------------------

    /**
     * The known and unknown halves of a call given which operands are unknown, memoised. A jit call saves every
     * residual; a remat only those its policy allows, its unknown half (a remat) recomputing the others.
     */
    static PartialEval.Split partialEval(ProgramCall call, boolean[] unknown) {
        return (PartialEval.Split) MEMO.get(new Key(call.program(), rule(call, "partial_eval"), ints(unknown)),
                k -> call instanceof Remat r ? PartialEval.split(r, unknown, r.policy())
                        : PartialEval.split(call, unknown, p -> true));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Derived derived(ProgramCall call, String rule, List<?> variant, Supplier<Derived> make) {
        return (Derived) MEMO.get(new Key(call.program(), rule(call, rule), variant), k -> make.get());
    }

    /** A rule's memo name: the kind of call too, since a jit call and a remat of one program derive differently. */
    private static String rule(ProgramCall call, String rule) {
        return call instanceof Remat ? "remat_" + rule : rule;
    }

    /**
     * The shape rule of a call of {@code program}: the operands must have the avals it was traced for; returns its
     * output avals. {@code op} names the call in errors.
     */
    static Aval[] checkOperands(String op, Program program, Aval[] in) {
        int n = program.inputs().size();
        if (in.length != n) {
            throw new IllegalArgumentException(op + ": the program takes " + n + " operands, got " + in.length);
        }
        for (int i = 0; i < n; i++) {
            Aval want = program.inputs().get(i).aval();
            if (!want.equals(in[i])) {
                throw new IllegalArgumentException(op + ": operand " + i + " is " + in[i].str()
                        + " but the program was traced for " + want.str());
            }
        }
        return program.outAvals();
    }

    /**
     * Traces a rule's computation to a program; results that are symbolic zeros are left out of the program
     * and put back when it is applied.
     */
    private static Derived trace(ProgramCall kind, String name, List<Aval> argAvals, Function<Array[], Array[]> fn) {
        boolean[][] zeros = new boolean[1][];
        Aval[][] avals = new Aval[1][];
        ClosedProgram cp = Staging.trace(args -> {
            Array[] full = fn.apply(args);
            zeros[0] = new boolean[full.length];
            avals[0] = new Aval[full.length];
            List<Array> kept = new ArrayList<>();
            for (int i = 0; i < full.length; i++) {
                zeros[0][i] = Zero.isZero(full[i]);
                avals[0][i] = full[i].aval();
                if (!zeros[0][i]) {
                    kept.add(full[i]);
                }
            }
            return kept.toArray(Array[]::new);
        }, argAvals.toArray(Aval[]::new));
        for (Array c : cp.consts()) {
            if (c instanceof Tracer) {
                throw new IllegalStateException("jit_call(" + name + "): a derived program captured a traced value ("
                        + c.aval().str() + "); derived programs may only capture constants (a bug in a rule)");
            }
        }
        return new Derived(kind.withProgram(name, cp.program()), cp.consts().toArray(Array[]::new), zeros[0], avals[0]);
    }

    private static List<Aval> inputAvals(Program p) {
        List<Aval> avals = new ArrayList<>();
        for (Var v : p.inputs()) {
            avals.add(v.aval());
        }
        return avals;
    }

    private static List<Integer> ints(boolean[] mask) {
        List<Integer> out = new ArrayList<>(mask.length);
        for (boolean b : mask) {
            out.add(b ? 1 : 0);
        }
        return out;
    }
}
