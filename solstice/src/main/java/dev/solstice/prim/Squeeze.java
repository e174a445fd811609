package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Removes axes of length 1. Linear. Evaluates to a view of the operand.
 *
 * @param dimensions the axes to remove; each must have length 1
 */
public record Squeeze(int[] dimensions) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public Squeeze {
        dimensions = dimensions.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        int[] axes = Shapes.axes(name(), dimensions, in[0].rank());
        for (int a : axes) {
            if (in[0].dim(a) != 1) {
                throw new IllegalArgumentException(name() + ": axis " + a + " of " + in[0].str()
                        + " has length " + in[0].dim(a) + ", not 1 (squeezing " + Arrays.toString(dimensions) + ")");
            }
        }
        int[] keep = Shapes.complement(axes, in[0].rank());
        int[] out = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            out[i] = in[0].dim(keep[i]);
        }
        return new Aval[] {new Aval(in[0].dtype(), out)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return new DenseArray[] {in[0].withShape(outAvals[0].shape())};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.squeeze(tangents[0], dimensions)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.reshape(cts[0], args[0].aval().shape())};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Squeeze other && Arrays.equals(dimensions, other.dimensions);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {dimensions});
    }

    @Override
    public String toString() {
        return "Squeeze[dimensions=" + Arrays.toString(dimensions) + "]";
    }

    /** Batching: the squeezed axes are renumbered around the batch axis. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        int[] ax = BatchRules.shift(Shapes.axes(name(), dimensions, vals[0].ndim() - 1), d);
        int before = 0;
        for (int a : ax) {
            before += a < d ? 1 : 0;
        }
        return Batched.of(Ops.squeeze(vals[0], ax), d - before);
    }
}
