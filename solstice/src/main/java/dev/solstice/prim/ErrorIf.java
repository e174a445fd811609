package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.EqxRuntimeError;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A runtime check (Equinox's {@code error_if} and {@code branched_error_if}): returns its values unchanged
 * and throws an {@link EqxRuntimeError} when any element of the predicate is true.
 *
 * <p>Operands: the values {@code x0 .. x(n-1)} (n at least 1, any dtypes and shapes; the outputs are these
 * values), then {@code pred} (bool, any shape: the check fails when any element is true), then {@code index}
 * (int32: which message to report). {@code index} is a scalar, or has {@code pred}'s shape when each element
 * carries its own message: the batching rule produces that form, one predicate and one index per example, and
 * the error then names each failing example. An index is read only where the check fails; one outside
 * {@code messages} is reported as such.
 *
 * <p>The values are what tie the check into a computation: a staged program runs it when it computes the
 * outputs (a check whose outputs are never used may be dropped with them, as in Equinox). Derivatives pass
 * through unchanged: the JVP's tangents are the input tangents and the check runs on the primals; the rule
 * is linear in the values, its transpose the same check on the cotangents. {@code pred} and {@code index}
 * have no derivatives.
 *
 * @param messages the messages, chosen by {@code index}; not empty
 */
public record ErrorIf(List<String> messages) implements Primitive {

    /** At most this many failing examples are spelled out in a batched error. */
    static final int MAX_REPORTED = 20;

    /** Copies the messages into an immutable list (the primitive is a value: jit caches key on it). */
    public ErrorIf {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("error_if: needs at least one message");
        }
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        if (in.length < 3) {
            throw new IllegalArgumentException(name() + " takes values, a predicate and an index (at least 3 operands),"
                    + " got " + in.length + " (" + Shapes.str(in) + ")");
        }
        Aval pred = in[in.length - 2];
        Aval index = in[in.length - 1];
        checkPredicate(name(), pred);
        if (index.dtype() != DType.INT32 || (index.rank() != 0 && !index.sameShape(pred))) {
            throw new IllegalArgumentException(name() + ": the index must be an int32 scalar (or have the predicate's"
                    + " shape " + pred.str() + "), got " + index.str());
        }
        return Arrays.copyOf(in, in.length - 2);
    }

    /**
     * Rejects a predicate that is not a bool array, naming the operation {@code op} and the predicate's aval.
     * Any shape is accepted: the check fails when any element is true.
     */
    public static void checkPredicate(String op, Aval pred) {
        if (pred.dtype() != DType.BOOL) {
            throw new IllegalArgumentException(op + ": the predicate must be a bool array, got " + pred.str()
                    + " (compare to make one, for example x.lt(0))");
        }
    }

    /** Throws when the check fails, else returns the values themselves; nothing else happens. */
    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        int n = in.length - 2;
        boolean[] pred = in[n].bools();
        DenseArray index = in[n + 1];
        for (int i = 0; i < pred.length; i++) {
            if (pred[i]) {
                throw new EqxRuntimeError(report(pred, index, in[n].aval().shape(), i));
            }
        }
        return Arrays.copyOf(in, n);
    }

    /** The error for a predicate that first holds at element {@code first}. */
    private String report(boolean[] pred, DenseArray index, int[] shape, int first) {
        if (index.aval().rank() == 0) {
            return message(index.ints()[0]);
        }
        int[] ix = index.ints();
        List<String> parts = new ArrayList<>();
        int failing = 0;
        for (int i = first; i < pred.length; i++) {
            if (pred[i] && failing++ < MAX_REPORTED) {
                parts.add("Batch index " + position(i, shape) + " had error:\n" + message(ix[i]));
            }
        }
        if (failing > MAX_REPORTED) {
            parts.add("(" + (failing - MAX_REPORTED) + " more batch elements had errors)");
        }
        return String.join("\n\n", parts);
    }

    private String message(int index) {
        if (index < 0 || index >= messages.size()) {
            throw new IllegalArgumentException(name() + ": the check failed with index " + index + ", which does not"
                    + " select one of the " + messages.size() + " message(s) " + messages);
        }
        return messages.get(index);
    }

    /** The multi-index of row-major element {@code flat} of an array of {@code shape}, as {@code (1, 0)}. */
    private static String position(int flat, int[] shape) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        StringBuilder b = new StringBuilder("(");
        for (int d = 0; d < at.length; d++) {
            b.append(d == 0 ? "" : ", ").append(at[d]);
        }
        return b.append(at.length == 1 ? ",)" : ")").toString();
    }

    /** The tangents pass through; the check has already run on the primals ({@link #jvpWithPrimal}). */
    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return Arrays.copyOf(tangents, tangents.length - 2);
    }

    /**
     * The cotangents pass back, through the same check: a program that reaches the check only when transposed
     * (its values being the linear input) still runs it. Constant values get zeros.
     */
    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        int n = args.length - 2;
        if (args[n] instanceof UndefinedPrimal || args[n + 1] instanceof UndefinedPrimal) {
            throw new IllegalStateException(name() + ": the predicate and the index cannot be linear");
        }
        Array[] out = new Array[args.length];
        List<Integer> flowing = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out[i] = Zero.like(args[i]);
            if (i < n && args[i] instanceof UndefinedPrimal && !Zero.isZero(cts[i])) {
                flowing.add(i);
            }
        }
        Array[] operands = new Array[flowing.size() + 2];
        for (int k = 0; k < flowing.size(); k++) {
            operands[k] = cts[flowing.get(k)];
        }
        operands[flowing.size()] = args[n];
        operands[flowing.size() + 1] = args[n + 1];
        Array[] checked = flowing.isEmpty() ? new Array[0] : Interpreters.bind(this, operands);
        for (int k = 0; k < flowing.size(); k++) {
            out[flowing.get(k)] = checked[k];
        }
        return out;
    }

    /**
     * Batching: the values keep their batch axes. The predicate and the index become one of each per example,
     * batch axis first: an example's predicate is first reduced to "any element true" where its index is a
     * scalar, so that the error names the failing examples (nested vmaps give one axis per level).
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int n = vals.length - 2;
        int[] valueDims = Arrays.copyOf(dims, n);
        Array pred = vals[n];
        Array index = vals[n + 1];
        int pd = dims[n];
        int id = dims[n + 1];
        if (pd == Batched.NOT_BATCHED && id == Batched.NOT_BATCHED) {
            return new Batched(Interpreters.bind(this, vals), valueDims);
        }
        int indexRank = index.ndim() - (id == Batched.NOT_BATCHED ? 0 : 1);
        if (indexRank == 0) {
            pred = anyPerExample(pred, pd);
            pd = pd == Batched.NOT_BATCHED ? pd : 0;
        }
        Array[] operands = vals.clone();
        operands[n] = BatchRules.toFront(pred, pd, axisSize);
        operands[n + 1] = BatchRules.toFront(index, id, axisSize);
        return new Batched(Interpreters.bind(this, operands), valueDims);
    }

    /** Whether any element of each example is true: a scalar, or a vector along the batch axis {@code dim}. */
    private static Array anyPerExample(Array pred, int dim) {
        int[] axes = new int[pred.ndim() - (dim == Batched.NOT_BATCHED ? 0 : 1)];
        for (int a = 0, k = 0; a < pred.ndim(); a++) {
            if (a != dim) {
                axes[k++] = a;
            }
        }
        if (axes.length == 0) {
            return pred;
        }
        Array count = Ops.reduceSum(Ops.convert(pred, DType.INT32), axes);
        return Ops.gt(count, Ops.zerosLike(count));
    }
}
