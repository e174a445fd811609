package dev.solstice.core;

import dev.solstice.DType;
import java.util.Arrays;

/**
 * An abstract value: the dtype and shape of an array without its contents. Shape rules, staging and the
 * tracers of every transformation work on avals.
 */
public final class Aval {
    private final DType dtype;
    private final int[] shape;
    private final int size;

    /** An aval of the given dtype and shape; the shape is copied and must have no negative dimension. */
    public Aval(DType dtype, int... shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        this.size = (int) n;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The length of axis {@code axis} (non-negative). */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The number of axes. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The same shape with another dtype. */
    public Aval withDType(DType other) {
        return other == dtype ? this : new Aval(other, shape);
    }

    /** True when the shapes are equal, whatever the dtypes. */
    public boolean sameShape(Aval other) {
        return Arrays.equals(shape, other.shape);
    }

    /** Reads like {@code float32[2,3]}. */
    public String str() {
        StringBuilder b = new StringBuilder(dtype.jaxName()).append('[');
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return b.append(']').toString();
    }

    /** JAX's short form, as jaxprs and Equinox's {@code tree_pformat} print it: {@code f32[2,3]}, {@code i32[]}. */
    public String shortStr() {
        String name = switch (dtype) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case BOOL -> "bool";
            case FLOAT16 -> "f16";
            case BFLOAT16 -> "bf16";
            case INT8 -> "i8";
            case UINT8 -> "u8";
            case UINT32 -> "u32";
            case INT64 -> "i64";
        };
        String s = str();
        return name + s.substring(s.indexOf('['));
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Aval a && a.dtype == dtype && Arrays.equals(a.shape, shape);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return str();
    }
}
