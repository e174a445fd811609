package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Conversions;
import dev.solstice.kernel.Kernels;

/**
 * Converts elements to {@code newDtype}. Between floating types it is linear (the tangent is converted
 * too); to or from an integer or bool type the derivative is zero. Floats become integers by truncation toward
 * zero, saturating at the target's range, with NaN giving 0 (as XLA); integers become narrower or unsigned
 * integers by keeping their low bits (wrap around); floats round once to nearest even; anything nonzero, NaN
 * included, is true.
 *
 * @param newDtype the dtype of the result
 */
public record ConvertElementType(DType newDtype) implements Primitive {
    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        return new Aval[] {in[0].withDType(newDtype)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DType from = in[0].dtype();
        return new DenseArray[] {isWide(from) && isWide(newDtype) ? Kernels.get().convert(in[0], newDtype)
                : Conversions.convert(in[0], newDtype)};
    }

    /** Converts narrow types directly, rounding once (float64 to float16 is not rounded through float32). */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    /** The four types the kernels' fast conversion loops cover. */
    private static boolean isWide(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64 || t == DType.INT32 || t == DType.BOOL;
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
    /** Batching: elementwise. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return Batched.of(Ops.convert(vals[0], newDtype), dims[0]);
    }

}
