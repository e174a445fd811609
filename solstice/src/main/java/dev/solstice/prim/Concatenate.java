package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;

/**
 * Joins operands of one dtype and rank along {@code dimension}; every other axis must agree. Linear; its
 * transpose slices the cotangent apart.
 *
 * @param dimension the axis to join along (non-negative)
 */
public record Concatenate(int dimension) implements Primitive {
    @Override
    public Aval[] shapeRule(Aval[] in) {
        if (in.length == 0) {
            throw new IllegalArgumentException(name() + ": needs at least one operand");
        }
        Aval first = in[0];
        boolean ok = dimension >= 0 && dimension < first.rank();
        int total = 0;
        for (int i = 0; ok && i < in.length; i++) {
            ok = in[i].dtype() == first.dtype() && in[i].rank() == first.rank();
            for (int a = 0; ok && a < first.rank(); a++) {
                ok = a == dimension || in[i].dim(a) == first.dim(a);
            }
            total += ok ? in[i].dim(dimension) : 0;
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": cannot join " + Shapes.str(in) + " along axis " + dimension
                    + "; operands need one dtype and equal lengths on every other axis");
        }
        int[] out = first.shape();
        out[dimension] = total;
        return new Aval[] {new Aval(first.dtype(), out)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval out = outAvals[0];
        int outer = 1;
        for (int a = 0; a < dimension; a++) {
            outer *= out.dim(a);
        }
        int inner = out.size() / Math.max(1, outer) / Math.max(1, out.dim(dimension));
        Object data = DenseArray.allocate(out.dtype(), out.size());
        int rowOut = out.dim(dimension) * inner;
        int offset = 0;
        for (DenseArray x : in) {
            int rowIn = x.aval().dim(dimension) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x.data(), o * rowIn, data, o * rowOut + offset, rowIn);
            }
            offset += rowIn;
        }
        return new DenseArray[] {DenseArray.wrap(out, data)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array[] t = new Array[tangents.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = Zero.instantiate(tangents[i]); // the zeros are part of the result
        }
        return new Array[] {Ops.concatenate(dimension, t)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Array ct = cts[0];
        int[] shape = ct.shape();
        Array[] out = new Array[args.length];
        int offset = 0;
        for (int i = 0; i < args.length; i++) {
            int len = args[i].aval().dim(dimension);
            if (args[i] instanceof UndefinedPrimal) {
                int[] start = new int[shape.length];
                int[] limit = shape.clone();
                int[] strides = new int[shape.length];
                java.util.Arrays.fill(strides, 1);
                start[dimension] = offset;
                limit[dimension] = offset + len;
                out[i] = Ops.slice(ct, start, limit, strides);
            } else {
                out[i] = Zero.like(args[i]);
            }
            offset += len;
        }
        return out;
    }

    /** Batching: every operand's batch axis goes first (unbatched ones are broadcast). */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return Batched.of(Ops.concatenate(dimension + 1, BatchRules.allToFront(vals, dims, axisSize)), 0);
    }
}
