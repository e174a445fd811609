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
     * Applies {@code f} to a batch: input {@code i} carries the batch along axis {@code inDims[i]}
     * ({@link Batched#NOT_BATCHED} for an input shared by every example); output {@code o} is returned with
     * its batch along {@code outDims[o]} (an output that does not vary is broadcast there;
     * {@link Batched#NOT_BATCHED} demands an output that does not vary).
     */
    public static Array[] vmap(String op, Function<Array[], Array[]> f, Array[] xs, int[] inDims, int axisSize,
            Function<Integer, Integer> outDim) {
        BatchInterpreter batch = new BatchInterpreter(Interpreters.current(), axisSize);
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
            if (target == Batched.NOT_BATCHED) {
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
                        + " of " + out[o].aval().str() + " per example (batched rank " + rank + ")");
            }
            result[o] = BatchRules.moveAxis(BatchRules.toFront(val, dim, axisSize), 0, t);
        }
        return result;
    }
}
