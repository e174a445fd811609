package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.prim.BatchRules;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import dev.solstice.prim.CustomVjpLinear;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Batching of the primitives that carry user functions (JAX's {@code process_custom_jvp_call} and
 * {@code process_custom_vjp_call} of the batch trace). The call is rebuilt with each function vectorised
 * (every operand batched on axis 0), so derivatives taken outside the vmap still use the custom rule. It lives
 * here, beside the batch interpreter, because vectorising a function is vmap itself: the primitives below
 * cannot do it without reaching up into the transformations.
 */
final class CustomCallBatching {
    private CustomCallBatching() {}

    /** Whether {@code p} carries user functions that batching must vectorise. */
    static boolean handles(Primitive p) {
        return p instanceof CustomJvpCall || p instanceof CustomVjpCall || p instanceof CustomVjpLinear;
    }

    /** The batched call: the rebuilt primitive bound on the operands with their batch axis first. */
    static Batched batch(Primitive p, Array[] vals, int[] dims, int axisSize) {
        Primitive batched = switch (p) {
            case CustomJvpCall c -> customJvp(c, axisSize);
            case CustomVjpCall c -> customVjp(c, axisSize);
            case CustomVjpLinear c -> customVjpLinear(c, axisSize);
            default -> throw new IllegalArgumentException("vmap: " + p.name() + " carries no user function");
        };
        Array[] out = Interpreters.bind(batched, BatchRules.allToFront(vals, dims, axisSize));
        return new Batched(out, new int[out.length]);
    }

    private static CustomJvpCall customJvp(CustomJvpCall c, int axisSize) {
        Function<Array[], Array[][]> rule = vectorisedPair(
                in -> c.rule().apply(Arrays.copyOfRange(in, 0, in.length / 2), Arrays.copyOfRange(in, in.length / 2, in.length)),
                axisSize);
        return new CustomJvpCall(vectorised(c.fn(), axisSize), (p, t) -> rule.apply(concat(p, t)));
    }

    private static CustomVjpCall customVjp(CustomVjpCall c, int axisSize) {
        return new CustomVjpCall(vectorised(c.fn(), axisSize), vectorisedPair(c.fwd(), axisSize),
                vectorised(c.bwd(), axisSize));
    }

    private static CustomVjpLinear customVjpLinear(CustomVjpLinear c, int axisSize) {
        return new CustomVjpLinear(vectorised(c.bwd(), axisSize), c.numResiduals(), withBatch(c.inAvals(), axisSize),
                withBatch(c.outAvals(), axisSize));
    }

    /** {@code f} vectorised over axis 0 of every input and output. */
    private static Function<Array[], Array[]> vectorised(Function<Array[], Array[]> f, int axisSize) {
        return in -> Vectorize.vmap("vmap", f, in, new int[in.length], axisSize, o -> 0);
    }

    /** A two-argument function (residuals, cotangents) vectorised over axis 0 of every input and output. */
    private static BiFunction<Array[], Array[], Array[]> vectorised(BiFunction<Array[], Array[], Array[]> f, int axisSize) {
        return (a, b) -> vectorised(in -> f.apply(Arrays.copyOfRange(in, 0, a.length),
                Arrays.copyOfRange(in, a.length, in.length)), axisSize).apply(concat(a, b));
    }

    /**
     * A function returning two groups of outputs (primals and tangents, or outputs and residuals), vectorised:
     * vmap maps one flat list, so the groups are joined for it and split again at the length the function gave.
     */
    private static Function<Array[], Array[][]> vectorisedPair(Function<Array[], Array[][]> f, int axisSize) {
        return in -> {
            int[] first = new int[1];
            Array[] both = vectorised(x -> {
                Array[][] r = f.apply(x);
                first[0] = r[0].length;
                return concat(r[0], r[1]);
            }, axisSize).apply(in);
            return new Array[][] {Arrays.copyOfRange(both, 0, first[0]), Arrays.copyOfRange(both, first[0], both.length)};
        };
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
