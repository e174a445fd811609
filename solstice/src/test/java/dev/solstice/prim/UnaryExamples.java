package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.POSITIVE;
import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Example.Domain.SMALL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** Examples of the elementwise primitives of one operand: float math, rounding, sign and stop_gradient. */
final class UnaryExamples {

    private UnaryExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(Sin.class, () -> Example.unary(new Sin(), REAL)),
                entry(Cos.class, () -> Example.unary(new Cos(), REAL)),
                entry(Tan.class, () -> Example.unary(new Tan(), SMALL)),
                entry(Tanh.class, () -> Example.unary(new Tanh(), REAL)),
                entry(Exp.class, () -> Example.unary(new Exp(), REAL)),
                entry(Expm1.class, () -> Example.unary(new Expm1(), REAL)),
                entry(Log.class, () -> Example.unary(new Log(), POSITIVE)),
                entry(Log1p.class, () -> Example.unary(new Log1p(), POSITIVE)),
                entry(Logistic.class, () -> Example.unary(new Logistic(), REAL)),
                entry(Sqrt.class, () -> Example.unary(new Sqrt(), POSITIVE)),
                entry(Rsqrt.class, () -> Example.unary(new Rsqrt(), POSITIVE)),
                entry(Erf.class, () -> Example.unary(new Erf(), REAL)),
                entry(Erfc.class, UnaryExamples::erfc),
                entry(ErfInv.class, UnaryExamples::erfInv),
                entry(Floor.class, () -> Example.unary(new Floor(), REAL)),
                entry(Ceil.class, () -> Example.unary(new Ceil(), REAL)),
                entry(Round.class, UnaryExamples::round),
                entry(Neg.class, () -> withInts(new Neg(), new Random(1), 4)),
                entry(Abs.class, () -> withInts(new Abs(), new Random(2), 4)),
                entry(Sign.class, UnaryExamples::sign),
                entry(IntegerPow.class, UnaryExamples::integerPow),
                entry(StopGradient.class, UnaryExamples::stopGradient));
    }

    /** The float examples, then one int32 operand of shape {@code [n]} drawn from {@code r}. */
    private static List<Example> withInts(Primitive p, Random r, int n) {
        List<Example> out = new ArrayList<>(Example.unary(p, REAL));
        out.add(new Example(p, Example.random(r, DType.INT32, REAL, n)));
        return out;
    }

    /** The float examples, then the right tail, where erfc must keep its relative accuracy (1 - erf is 0). */
    private static List<Example> erfc() {
        List<Example> out = new ArrayList<>(Example.unary(new Erfc(), REAL));
        out.add(new Example(new Erfc(), DenseArray.ofDoubles(new double[] {-6, 2.5, 4, 7.5, 12, 26}, 6)));
        out.add(new Example(new Erfc(), DenseArray.ofFloats(new float[] {-4f, 2.5f, 4f, 7f, 9f}, 5)));
        return out;
    }

    /** Float32 and float64 in (-0.9, 0.9), shape [2,3] and scalar. */
    private static List<Example> erfInv() {
        List<Example> out = new ArrayList<>();
        Random r = new Random(1773);
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] v = new double[6];
            for (int i = 0; i < v.length; i++) {
                v[i] = -0.9 + 1.8 * r.nextDouble();
            }
            double s = -0.9 + 1.8 * r.nextDouble();
            if (t == DType.FLOAT64) {
                out.add(new Example(new ErfInv(), DenseArray.ofDoubles(v, 2, 3)));
                out.add(new Example(new ErfInv(), DenseArray.ofDoubles(new double[] {s})));
            } else {
                float[] f = new float[6];
                for (int i = 0; i < 6; i++) {
                    f[i] = (float) v[i];
                }
                out.add(new Example(new ErfInv(), DenseArray.ofFloats(f, 2, 3)));
                out.add(new Example(new ErfInv(), DenseArray.ofFloats(new float[] {(float) s})));
            }
        }
        return out;
    }

    /** The last two with halves, where ties go to even. */
    private static List<Example> round() {
        List<Example> out = new ArrayList<>(Example.unary(new Round(), REAL));
        out.add(new Example(new Round(), DenseArray.ofDoubles(
                new double[] {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999999999999994}, 7)));
        out.add(new Example(new Round(), DenseArray.ofFloats(new float[] {-0.5f, 0.5f, 1.5f, 2.5f}, 4)));
        return out;
    }

    /** The last with signed zeros and a NaN. */
    private static List<Example> sign() {
        List<Example> out = withInts(new Sign(), new Random(3), 5);
        out.add(new Example(new Sign(), DenseArray.ofDoubles(new double[] {-1.5, -0.0, 0.0, 2, Double.NaN}, 5)));
        return out;
    }

    /** Exponents 0 to 3 on floats and int32, and -2 on positive floats. */
    private static List<Example> integerPow() {
        List<Example> out = new ArrayList<>();
        Random r = new Random(6);
        for (int n : new int[] {0, 1, 2, 3, -2}) {
            out.addAll(Example.unary(new IntegerPow(n), n < 0 ? POSITIVE : REAL));
            if (n >= 0) {
                out.add(new Example(new IntegerPow(n), Example.random(r, DType.INT32, REAL, 5)));
            }
        }
        return out;
    }

    /** Floats, int32 and bool: stop_gradient takes every dtype. */
    private static List<Example> stopGradient() {
        List<Example> out = withInts(new StopGradient(), new Random(5), 3);
        out.add(new Example(new StopGradient(), Example.random(new Random(5), DType.BOOL, REAL, 2, 2)));
        return out;
    }
}
