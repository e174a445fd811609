package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreters;
import dev.solstice.prim.BatchRules;
import java.util.function.Function;

/** vmap on flat lists of arrays: the machinery behind {@code Jax.vmap}. */
public final class Vectorize {
    private Vectorize() {}

    /**
     * The out axis meaning "not mapped": the output must be the same for every example and is returned as it
     * is (JAX's {@code out_axes=None}). Distinct from every axis, negative ones included.
     */
    public static final int NOT_MAPPED = Integer.MIN_VALUE;

    /**
     * Applies {@code f} to a batch: input {@code i} carries the batch along axis {@code inDims[i]} (in
     * {@code [0, rank)}), or is shared by every example ({@link Batched#NOT_BATCHED}); output {@code o} is
     * returned with its batch along {@code outDim.apply(o)} (negative counts from the end of the batched
     * output; an output that does not vary is broadcast there), or, for {@link #NOT_MAPPED}, as it is, which
     * demands an output that does not vary.
     */
    public static Array[] vmap(String op, Function<Array[], Array[]> f, Array[] xs, int[] inDims, int axisSize,
            Function<Integer, Integer> outDim) {
        return vmap(op, f, xs, inDims, axisSize, outDim, null);
    }

    /**
     * {@link #vmap(String, Function, Array[], int[], int, Function)} with an axis name ({@code null} for
     * none), across which collectives such as {@code Lax.psum} act.
     */
    public static Array[] vmap(String op, Function<Array[], Array[]> f, Array[] xs, int[] inDims, int axisSize,
            Function<Integer, Integer> outDim, String axisName) {
        if (axisSize < 0) {
            throw new IllegalArgumentException(op + ": negative batch size " + axisSize);
        }
        for (int i = 0; i < xs.length; i++) {
            int d = inDims[i];
            if (d == Batched.NOT_BATCHED) {
                continue;
            }
            if (d < 0 || d >= xs[i].ndim() || xs[i].shape()[d] != axisSize) {
                throw new IllegalArgumentException(op + ": input " + i + " of " + xs[i].aval().str() + " cannot carry a"
                        + " batch of " + axisSize + " on axis " + d);
            }
        }
        BatchInterpreter batch = new BatchInterpreter(Interpreters.current(), axisSize, axisName);
        Array[] in = new Array[xs.length];
        for (int i = 0; i < xs.length; i++) {
            in[i] = batch.lift(xs[i], inDims[i]);
        }
        Array[] out = Interpreters.runWith(batch, () -> f.apply(in));
        Array[] result = new Array[out.length];
        for (int o = 0; o < out.length; o++) {
            int target = outDim.apply(o);
            boolean batched = batch.owns(out[o]);
            Array val = batched ? ((BatchTracer) out[o]).val : out[o];
            int dim = batched ? ((BatchTracer) out[o]).dim : Batched.NOT_BATCHED;
            if (target == NOT_MAPPED) {
                if (batched) {
                    throw new IllegalArgumentException(op + ": output " + o + " varies across the batch ("
                            + out[o].aval().str() + " per example) but its out axis is null");
                }
                result[o] = val;
                continue;
            }
            int rank = val.ndim() + (batched ? 0 : 1);
            int t = target < 0 ? target + rank : target;
            if (t < 0 || t >= rank) {
                throw new IllegalArgumentException(op + ": out axis " + target + " is out of range for output " + o
                        + " of " + out[o].aval().str() + " per example (batched rank " + rank + ", so axes run from "
                        + (-rank) + " to " + (rank - 1) + ")");
            }
            result[o] = BatchRules.moveAxis(BatchRules.toFront(val, dim, axisSize), 0, t);
        }
        return result;
    }
}
