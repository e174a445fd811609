package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Sorting;
import java.util.Arrays;

/**
 * Sorts operands of one shape along {@code dimension} (JAX's {@code lax.sort}, always stable): the rows are
 * ordered lexicographically by the first {@code numKeys} operands and every operand is permuted the same way.
 * Floats order as JAX's comparator: -0.0 equals 0.0, NaNs come last and equal each other (see {@link Sorting}).
 * Not linear. JVP as JAX's: the sort is repeated with an iota alongside, and each tangent is gathered by that
 * permutation ({@link Ops#takeAlongAxis}, whose transpose gives reverse mode).
 *
 * @param dimension the axis sorted (negative counts from the end)
 * @param numKeys how many leading operands are sort keys (at least 1, at most the number of operands)
 */
public record Sort(int dimension, int numKeys) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        boolean ok = in.length >= 1 && numKeys >= 1 && numKeys <= in.length && in[0].rank() >= 1;
        for (int i = 1; ok && i < in.length; i++) {
            ok = Arrays.equals(in[i].shape(), in[0].shape());
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " with numKeys " + numKeys
                    + "; need at least one operand of rank at least 1, all of one shape, and 1 <= numKeys <= operands");
        }
        Shapes.axis(name() + " of " + in[0].str(), dimension, in[0].rank());
        return in.clone();
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return Sorting.sort(in, Shapes.axis(name(), dimension, in[0].aval().rank()), numKeys, outAvals);
    }

    /** The primal outputs and, in the last place, the permutation: the operands sorted with an iota along. */
    private Array[] sortWithPermutation(Array[] primals) {
        Array[] withIota = Arrays.copyOf(primals, primals.length + 1);
        int[] shape = primals[0].shape();
        withIota[primals.length] = Ops.iota(DType.INT32, shape, Shapes.axis(name(), dimension, shape.length));
        return Interpreters.bind(this, withIota);
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        Array[] sorted = sortWithPermutation(primals);
        Array[] outs = Arrays.copyOf(sorted, primals.length);
        return new Array[][] {outs, permuted(tangents, outs, sorted[primals.length])};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array[] sorted = sortWithPermutation(Arrays.copyOf(primals, numKeys));
        return permuted(tangents, outs, sorted[numKeys]);
    }

    private Array[] permuted(Array[] tangents, Array[] outs, Array permutation) {
        Array[] r = new Array[tangents.length];
        for (int i = 0; i < r.length; i++) {
            Array t = tangents[i];
            r[i] = Tangents.unlessZero(t, outs[i], () -> Ops.takeAlongAxis(t, permutation, dimension));
        }
        return r;
    }

    /** Batching: every operand gets a leading batch axis (unbatched ones by broadcasting); the axis sorted shifts by one. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int rank = vals[0].ndim() - (dims[0] == Batched.NOT_BATCHED ? 0 : 1);
        int a = Shapes.axis(name(), dimension, rank);
        Array[] outs = Interpreters.bind(new Sort(a + 1, numKeys), BatchRules.allToFront(vals, dims, axisSize));
        return new Batched(outs, new int[outs.length]);
    }
}
