package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A primitive instance with operands to try it on, for the primitive contract test. The examples of each
 * primitive class are listed in {@link Examples}, on the test side, so that fixtures and their random
 * generators stay out of the library.
 *
 * @param primitive the primitive, with its parameters
 * @param inputs the operands
 */
public record Example(Primitive primitive, Array... inputs) {

    /** Where elementwise examples draw their values. */
    public enum Domain {
        /** Uniform in [-2, 2]. */
        REAL(-2, 2),
        /** Uniform in [0.25, 2]: for log, sqrt and friends. */
        POSITIVE(0.25, 2),
        /** Uniform in [-1.2, 1.2]: away from tan's poles. */
        SMALL(-1.2, 1.2);

        final double lo;
        final double hi;

        Domain(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }
    }

    /** Float operands of shape [2,3] (and a scalar) in float32 and float64. */
    static List<Example> unary(Primitive p, Domain d) {
        List<Example> out = new ArrayList<>();
        Random r = new Random(p.name().hashCode());
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            out.add(new Example(p, random(r, t, d, 2, 3)));
            out.add(new Example(p, random(r, t, d)));
        }
        return out;
    }

    /** Two float operands of equal shape, in float32 and float64. */
    static List<Example> binary(Primitive p, Domain left, Domain right) {
        List<Example> out = new ArrayList<>();
        Random r = new Random(p.name().hashCode());
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            out.add(new Example(p, random(r, t, left, 2, 3), random(r, t, right, 2, 3)));
            out.add(new Example(p, random(r, t, left), random(r, t, right)));
        }
        return out;
    }

    /**
     * Float64 operands of shape [2,4] that tie in some places and hold NaNs in others (one side and both
     * sides): the cases comparisons must get right, which random floats never produce.
     */
    static Example withTies(Primitive p) {
        double nan = Double.NaN;
        return new Example(p, DenseArray.ofDoubles(new double[] {1.5, -0.0, 2, nan, nan, 3, -1, 0.25}, 2, 4),
                DenseArray.ofDoubles(new double[] {1.5, 0.0, -2, 1, nan, 3.5, -1, 0.5}, 2, 4));
    }

    /** Random values of a dtype and shape from a domain (ints: -3..3; bools: fair coin). */
    static DenseArray random(Random r, DType t, Domain d, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return switch (t) {
            case FLOAT64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = d.lo + (d.hi - d.lo) * r.nextDouble();
                }
                yield DenseArray.ofDoubles(v, shape);
            }
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (d.lo + (d.hi - d.lo) * r.nextDouble());
                }
                yield DenseArray.ofFloats(v, shape);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = r.nextInt(7) - 3;
                }
                yield DenseArray.ofInts(v, shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = r.nextBoolean();
                }
                yield DenseArray.ofBools(v, shape);
            }
            default -> throw new IllegalArgumentException("no random values of " + t + " here");
        };
    }

    /**
     * Names the primitive and its operands, for example {@code reduce_sum{axes=[1]}(float32[2,3])}: the JAX name,
     * the record components (arrays spelled out), then the operands' avals.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(describe(primitive)).append('(');
        for (int i = 0; i < inputs.length; i++) {
            b.append(i == 0 ? "" : ", ").append(inputs[i].aval().str());
        }
        return b.append(')').toString();
    }

    /** The primitive's name and, for a record, its parameters with arrays spelled out. */
    static String describe(Primitive p) {
        StringBuilder b = new StringBuilder(p.name());
        RecordComponent[] components = p.getClass().getRecordComponents();
        if (components == null || components.length == 0) {
            return b.toString();
        }
        b.append('{');
        for (int i = 0; i < components.length; i++) {
            Object v;
            try {
                v = components[i].getAccessor().invoke(p);
            } catch (ReflectiveOperationException e) {
                v = "?";
            }
            String text = switch (v) {
                case int[] a -> Arrays.toString(a);
                case Object[] a -> Arrays.deepToString(a);
                case null -> "null";
                default -> v.toString();
            };
            b.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=').append(text);
        }
        return b.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && e.primitive.equals(primitive) && Arrays.equals(e.inputs, inputs);
    }

    @Override
    public int hashCode() {
        return primitive.hashCode() * 31 + Arrays.hashCode(inputs);
    }
}
