package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Inserts axes of length 1. Linear. Evaluates to a view of the operand.
 *
 * @param dimensions the positions of the new axes in the result (negative counts from the end)
 */
public record ExpandDims(int[] dimensions) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public ExpandDims {
        dimensions = dimensions.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        int rank = in[0].rank() + dimensions.length;
        int[] axes = Shapes.axes(name(), dimensions, rank);
        int[] out = new int[rank];
        int k = 0;
        for (int a = 0; a < rank; a++) {
            out[a] = Shapes.contains(axes, a) ? 1 : in[0].dim(k++);
        }
        return new Aval[] {new Aval(in[0].dtype(), out)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return new DenseArray[] {in[0].withShape(outAvals[0].shape())};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.expandDims(tangents[0], dimensions)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.reshape(cts[0], args[0].aval().shape())};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ExpandDims other && Arrays.equals(dimensions, other.dimensions);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {dimensions});
    }

    @Override
    public String toString() {
        return "ExpandDims[dimensions=" + Arrays.toString(dimensions) + "]";
    }

    /** Batching: the batch axis goes first; the new axes are placed after it. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array x = BatchRules.moveAxis(vals[0], dims[0], 0);
        int[] ax = Shapes.axes(name(), dimensions, vals[0].ndim() - 1 + dimensions.length);
        return Batched.of(Ops.expandDims(x, BatchRules.plusOne(ax)), 0);
    }
}
