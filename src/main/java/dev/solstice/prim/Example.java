package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A primitive instance with operands to try it on. Each primitive class offers a static {@code examples()}
 * that the primitive contract test finds by reflection, so a new primitive is tested without registering it.
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
        };
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(primitive.toString()).append('(');
        for (int i = 0; i < inputs.length; i++) {
            b.append(i == 0 ? "" : ", ").append(inputs[i].aval().str());
        }
        return b.append(')').toString();
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
