package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Gives the elements (row-major order unchanged) a new shape of the same size. Linear. Evaluates to a view
 * of the operand when its strides allow (always for a contiguous operand), else to a copy.
 *
 * @param newSizes the result shape
 */
public record Reshape(int[] newSizes) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public Reshape {
        newSizes = newSizes.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        for (int d : newSizes) {
            if (d < 0) {
                throw new IllegalArgumentException(name() + ": negative size in " + Arrays.toString(newSizes)
                        + " (the lax primitive takes explicit sizes; Jnp.reshape resolves -1)");
            }
        }
        if (Shapes.size(newSizes) != in[0].size()) {
            throw new IllegalArgumentException(name() + ": cannot reshape " + in[0].str() + " (" + in[0].size()
                    + " elements) to " + Arrays.toString(newSizes) + " (" + Shapes.size(newSizes) + " elements)");
        }
        return new Aval[] {new Aval(in[0].dtype(), newSizes)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return new DenseArray[] {in[0].withShape(newSizes)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.reshape(tangents[0], newSizes)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.reshape(cts[0], args[0].aval().shape())};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Reshape other && Arrays.equals(newSizes, other.newSizes);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {newSizes});
    }

    @Override
    public String toString() {
        return "Reshape[newSizes=" + Arrays.toString(newSizes) + "]";
    }

    /** Batching: the batch axis goes first and stays a leading axis of the new shape. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array x = BatchRules.moveAxis(vals[0], dims[0], 0);
        return Batched.of(Ops.reshape(x, BatchRules.prepend(axisSize, newSizes)), 0);
    }
}
