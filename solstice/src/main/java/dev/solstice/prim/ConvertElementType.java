package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Converts elements to {@code newDtype}. Between floating types it is linear (the tangent is converted
 * too); to or from an integer or bool type the derivative is zero. Floats become int32 by truncation toward
 * zero, saturating at the int32 range, with NaN giving 0 (as XLA); anything nonzero, NaN included, is true.
 *
 * @param newDtype the dtype of the result
 */
public record ConvertElementType(DType newDtype) implements Primitive {
    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(name(), in, 1);
        return new Aval[] {in[0].withDType(newDtype)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in) {
        return new DenseArray[] {Kernels.get().convert(in[0], newDtype)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        boolean floatToFloat = primals[0].dtype().isFloating() && newDtype.isFloating();
        return new Array[] {floatToFloat ? Ops.convert(tangents[0], newDtype) : Zero.like(outs[0])};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.convert(cts[0], args[0].aval().dtype())};
    }

    /**
     * Example operands for the primitive contract test: every pair of dtypes, then NaN, an infinity and
     * out-of-range values to int32 and bool.
     */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>();
        Random r = new Random(11);
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                out.add(new Example(new ConvertElementType(to), Example.random(r, from, Example.Domain.REAL, 2, 3)));
            }
        }
        double[] special = {Double.NaN, 1e10, -1e10, -2.7, 2.7, -0.0, 0.5, Double.NEGATIVE_INFINITY};
        for (DType to : new DType[] {DType.INT32, DType.BOOL}) {
            out.add(new Example(new ConvertElementType(to), DenseArray.ofDoubles(special.clone(), special.length)));
        }
        return out;
    }
    /** Batching: elementwise. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return Batched.of(Ops.convert(vals[0], newDtype), dims[0]);
    }

}
