package dev.solstice.prim;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * An array of the given dtype and shape whose elements count 0, 1, 2, ... along {@code dimension}. No
 * operands, so no derivative.
 *
 * @param dtype the element type (not bool)
 * @param shape the result shape
 * @param dimension the axis that counts
 */
public record Iota(DType dtype, int[] shape, int dimension) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public Iota {
        shape = shape.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 0);
        if (dtype == DType.BOOL || dimension < 0 || dimension >= shape.length) {
            throw new IllegalArgumentException(name() + ": dtype " + dtype + ", shape " + Arrays.toString(shape)
                    + ", dimension " + dimension + "; need a numeric dtype and a dimension within the shape");
        }
        return new Aval[] {new Aval(dtype, shape)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval out = new Aval(dtype, shape);
        int[] st = Shapes.strides(shape);
        DType t = outAvals[0].dtype(); // the compute type when this dtype is stored narrow
        if (t == DType.INT32) { // the common case (indices, counters, random counts): no double pass
            int[] v = new int[out.size()];
            // blocks of len runs of `run` equal values 0, 1, ..., len - 1: counted loops the JIT vectorises (a
            // division and a remainder per element made a 481k-element iota cost three times its Threefry hash)
            int run = st[dimension];
            int len = shape[dimension];
            for (int base = 0; base < v.length; base += len * run) {
                if (run == 1) {
                    for (int j = 0; j < len; j++) {
                        v[base + j] = j;
                    }
                } else {
                    for (int j = 0; j < len; j++) {
                        Arrays.fill(v, base + j * run, base + (j + 1) * run, j);
                    }
                }
            }
            return new DenseArray[] {DenseArray.ofInts(v, shape)};
        }
        double[] v = new double[out.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i / st[dimension]) % shape[dimension];
        }
        DenseArray d = DenseArray.ofDoubles(v, shape);
        return new DenseArray[] {t == DType.FLOAT64 ? d : t == DType.INT64 ? dev.solstice.kernel.Conversions.convert(d, t)
                : dev.solstice.kernel.Kernels.get().convert(d, t)};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Iota other && dtype == other.dtype && Arrays.equals(shape, other.shape)
                && dimension == other.dimension;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {dtype, shape, dimension});
    }

    @Override
    public String toString() {
        return "Iota[dtype=" + dtype + ", shape=" + Arrays.toString(shape) + ", dimension=" + dimension + "]";
    }
}
