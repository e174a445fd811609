package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Reverses the order of the elements along {@code dimensions} (JAX's {@code lax.rev}). Linear; its own
 * transpose. Convolution's transpose rule flips the kernel with it. Evaluates to a view of the operand.
 *
 * @param dimensions the axes to reverse (distinct; negative counts from the end)
 */
public record Rev(int[] dimensions) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public Rev {
        dimensions = dimensions.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Shapes.axes(name() + " of " + in[0].str(), dimensions, in[0].rank());
        return new Aval[] {in[0]};
    }

    /** A view: each reversed axis starts at its last element and steps backwards; nothing copied. */
    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DenseArray x = in[0];
        if (x.aval().size() == 0) {
            return new DenseArray[] {x};
        }
        int[] s = x.strides();
        int offset = x.offset();
        for (int a : Shapes.axes(name(), dimensions, s.length)) {
            offset += (x.aval().dim(a) - 1) * s[a];
            s[a] = -s[a];
        }
        return new DenseArray[] {DenseArray.view(x.aval(), x.storage(), offset, s)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.rev(tangents[0], dimensions)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.rev(cts[0], dimensions)};
    }

    /** Batching: the reversed axes are renumbered around the batch axis, which stays where it is. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        int[] ax = Shapes.axes(name(), dimensions, vals[0].ndim() - 1);
        return Batched.of(Ops.rev(vals[0], BatchRules.shift(ax, d)), d);
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rev other && Arrays.equals(dimensions, other.dimensions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dimensions);
    }

    @Override
    public String toString() {
        return "Rev[dimensions=" + Arrays.toString(dimensions) + "]";
    }
}
