package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Shapes;
import dev.solstice.core.Batched;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import dev.solstice.prim.BatchRules;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import dev.solstice.prim.CustomVjpLinear;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Batching of the primitives that carry user functions (JAX's {@code process_custom_jvp_call} and
 * {@code process_custom_vjp_call} of the batch trace). The call is rebuilt with its staged program vectorised
 * over the batched operands (captured values batched by this vmap are ordinary batched operands) and its rules
 * vectorised over the explicit arguments, so derivatives taken outside the vmap still use the custom rule. The
 * explicit arguments are all given the batch axis first, so the rules see every argument, residual and
 * cotangent batched alike; an unbatched captured value stays as it is. Rules run under this vmap entered again
 * ({@link BatchInterpreter#reenter}), so values they close over that this vmap batched are understood. It
 * lives here, beside the batch interpreter, because vectorising a function is vmap itself: the primitives below
 * cannot do it without reaching up into the transformations.
 */
final class CustomCallBatching {
    private CustomCallBatching() {}

    /** Whether {@code p} carries user functions that batching must vectorise. */
    static boolean handles(Primitive p) {
        return p instanceof CustomJvpCall || p instanceof CustomVjpCall || p instanceof CustomVjpLinear;
    }

    /** The batched call, bound under the current interpreter (the batch interpreter's parent). */
    static Batched batch(BatchInterpreter batch, Primitive p, Array[] vals, int[] dims) {
        int axisSize = batch.axisSize();
        Reentry each = new Reentry(batch, true);
        if (p instanceof CustomVjpLinear c) {
            CustomVjpLinear lin = new CustomVjpLinear(each.of(c.bwd()), c.numResiduals(),
                    withBatch(c.inAvals(), axisSize), withBatch(c.outAvals(), axisSize));
            return allFirst(Interpreters.bind(lin, BatchRules.allToFront(vals, dims, axisSize)));
        }
        int captured = ((CallPrimitive) p).numCaptured();
        Array[] operands = new Array[vals.length];
        int[] opDims = new int[vals.length];
        for (int i = 0; i < vals.length; i++) {
            boolean keep = i < captured && dims[i] == Batched.NOT_BATCHED;
            operands[i] = keep ? vals[i] : BatchRules.toFront(vals[i], dims[i], axisSize);
            opDims[i] = keep ? Batched.NOT_BATCHED : 0;
        }
        Program program = p instanceof CustomJvpCall c ? c.program() : ((CustomVjpCall) p).program();
        ClosedProgram staged = Staging.trace(in -> each.run(program::evaluate, in, opDims), Shapes.avals(operands));
        int n = staged.consts().size(); // the vectorised program's own constants lead its operands; the rules skip them
        CallPrimitive rebuilt = switch (p) {
            case CustomJvpCall c -> {
                BiFunction<Array[], Array[], Array[][]> rule = each.rule(c.rule(), opDims);
                yield new CustomJvpCall(staged.program(), n + captured, (ops, t) -> rule.apply(drop(ops, n), t));
            }
            case CustomVjpCall c -> {
                Function<Array[], Array[][]> fwd = each.pair(c.fwd(), opDims);
                yield new CustomVjpCall(staged.program(), n + captured, ops -> fwd.apply(drop(ops, n)), each.of(c.bwd()));
            }
            default -> throw new IllegalArgumentException("vmap: " + p.name() + " carries no user function");
        };
        Array[] all = new Array[n + operands.length];
        for (int i = 0; i < n; i++) {
            all[i] = staged.consts().get(i);
        }
        System.arraycopy(operands, 0, all, n, operands.length);
        return allFirst(Interpreters.bind(rebuilt, all));
    }

    /**
     * The call for the interpreter below when none of its operands is batched here (JAX's batch trace wraps the
     * rules then too): the same call, with its rules run under this vmap entered again with nothing batched,
     * so that a rule closing over a value this vmap batched meets it where it is understood. Such a rule's
     * result would vary across the batch while the call's does not; that is refused with what to do.
     */
    static Primitive unbatched(BatchInterpreter batch, Primitive p) {
        Reentry same = new Reentry(batch, false);
        return switch (p) {
            case CustomJvpCall c -> new CustomJvpCall(c.program(), c.numCaptured(), same.rule(c.rule(), NONE));
            case CustomVjpCall c -> new CustomVjpCall(c.program(), c.numCaptured(), same.pair(c.fwd(), NONE), same.of(c.bwd()));
            case CustomVjpLinear c -> new CustomVjpLinear(same.of(c.bwd()), c.numResiduals(), c.inAvals(), c.outAvals());
            default -> p;
        };
    }

    private static final int[] NONE = {};

    private static Batched allFirst(Array[] out) {
        return new Batched(out, new int[out.length]);
    }

    private static Array[] drop(Array[] xs, int n) {
        return n == 0 ? xs : Arrays.copyOfRange(xs, n, xs.length);
    }

    /**
     * User functions run under a batch interpreter entered again, under the interpreter current when they run.
     * {@code batched}: inputs carry the batch along axis 0, except leading ones given their own axes (the
     * operands of a call, of which an unbatched captured value stays unbatched), and every output carries it
     * along axis 0 (one that does not vary is broadcast). Otherwise nothing is batched, and an output that
     * varies is refused.
     */
    private record Reentry(BatchInterpreter batch, boolean batched) {

        /** Runs {@code f} on {@code in}: input {@code i < lead.length} batched along {@code lead[i]}. */
        Array[] run(Function<Array[], Array[]> f, Array[] in, int[] lead) {
            BatchInterpreter again = batch.reenter(Interpreters.current());
            Array[] lifted = new Array[in.length];
            for (int i = 0; i < in.length; i++) {
                lifted[i] = again.lift(in[i], i < lead.length ? lead[i] : batched ? 0 : Batched.NOT_BATCHED);
            }
            Array[] out = Interpreters.runWith(again, () -> f.apply(lifted));
            Array[] result = new Array[out.length];
            for (int o = 0; o < out.length; o++) {
                boolean varies = again.owns(out[o]);
                if (!batched && varies) {
                    throw new IllegalArgumentException("vmap: a custom rule closes over a value batched by vmap that"
                            + " is not among the operands of its call (its function does not use it, and no argument"
                            + " is batched), so its result would vary across the batch while the function's does not;"
                            + " use the value in the function too, or pass it in as an argument");
                }
                result[o] = !batched ? out[o] : varies
                        ? BatchRules.toFront(((BatchTracer) out[o]).val, ((BatchTracer) out[o]).dim, batch.axisSize())
                        : BatchRules.toFront(out[o], Batched.NOT_BATCHED, batch.axisSize());
            }
            return result;
        }

        /** {@code f} with every input alike. */
        Function<Array[], Array[]> of(Function<Array[], Array[]> f) {
            return in -> run(f, in, NONE);
        }

        /** A two-argument function (residuals, cotangents), every input alike. */
        BiFunction<Array[], Array[], Array[]> of(BiFunction<Array[], Array[], Array[]> f) {
            return (a, b) -> run(in -> f.apply(Arrays.copyOfRange(in, 0, a.length),
                    Arrays.copyOfRange(in, a.length, in.length)), concat(a, b), NONE);
        }

        /** A JVP rule (operands batched as {@code lead} says, tangents) to {primals, tangents}. */
        BiFunction<Array[], Array[], Array[][]> rule(BiFunction<Array[], Array[], Array[][]> rule, int[] lead) {
            return (ops, t) -> pair(in -> rule.apply(Arrays.copyOfRange(in, 0, ops.length),
                    Arrays.copyOfRange(in, ops.length, in.length)), lead).apply(concat(ops, t));
        }

        /**
         * A function returning two groups of outputs (primals and tangents, or outputs and residuals): vmap maps
         * one flat list, so the groups are joined for it and split again at the length the function gave.
         */
        Function<Array[], Array[][]> pair(Function<Array[], Array[][]> f, int[] lead) {
            return in -> {
                int[] first = new int[1];
                Array[] both = run(x -> {
                    Array[][] r = f.apply(x);
                    if (r == null || r.length != 2 || r[0] == null || r[1] == null) {
                        throw new IllegalArgumentException("vmap of a custom rule: the rule must return two groups of"
                                + " arrays (outputs, then tangents or residuals)");
                    }
                    first[0] = r[0].length;
                    return concat(r[0], r[1]);
                }, in, lead);
                return new Array[][] {Arrays.copyOfRange(both, 0, first[0]), Arrays.copyOfRange(both, first[0], both.length)};
            };
        }
    }

    private static Array[] concat(Array[] a, Array[] b) {
        Array[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static Aval[] withBatch(Aval[] avals, int axisSize) {
        Aval[] r = new Aval[avals.length];
        for (int i = 0; i < avals.length; i++) {
            r[i] = new Aval(avals[i].dtype(), BatchRules.prepend(axisSize, avals[i].shape()));
        }
        return r;
    }
}
