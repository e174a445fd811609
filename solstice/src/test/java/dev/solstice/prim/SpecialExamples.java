package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Examples of the inverse trigonometric, hyperbolic and special-function primitives (issue 14), each drawn from
 * its own domain: away from the poles of the gamma family and from the zeros of lgamma (where only absolute
 * accuracy is possible), inside [-1, 1] for asin/acos/atanh and above 1 for acosh.
 */
final class SpecialExamples {

    private SpecialExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(Sinh.class, () -> Example.unary(new Sinh(), REAL)),
                entry(Cosh.class, () -> Example.unary(new Cosh(), REAL)),
                entry(Asinh.class, () -> Example.unary(new Asinh(), REAL)),
                entry(Atan.class, () -> Example.unary(new Atan(), REAL)),
                entry(Asin.class, () -> in(new Asin(), -0.9, 0.9)),
                entry(Acos.class, () -> in(new Acos(), -0.9, 0.9)),
                entry(Atanh.class, () -> in(new Atanh(), -0.9, 0.9)),
                entry(Acosh.class, () -> in(new Acosh(), 1.1, 4)),
                entry(Atan2.class, () -> Example.binary(new Atan2(), REAL, REAL)),
                entry(Lgamma.class, () -> lgamma()),
                entry(Digamma.class, () -> digamma()),
                entry(Polygamma.class, () -> polygamma()),
                entry(BesselI0e.class, () -> bessel(new BesselI0e())),
                entry(BesselI1e.class, () -> bessel(new BesselI1e())));
    }

    /** Shape [2,3] and a scalar, float64 and float32, uniform in [lo, hi]. */
    static List<Example> in(Primitive p, double lo, double hi) {
        List<Example> out = new ArrayList<>();
        Random r = new Random(p.toString().hashCode());
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            out.add(new Example(p, values(r, t, lo, hi, 2, 3)));
            out.add(new Example(p, values(r, t, lo, hi)));
        }
        return out;
    }

    static DenseArray values(Random r, DType t, double lo, double hi, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return of(t, v, shape);
    }

    static DenseArray of(DType t, double[] v, int... shape) {
        if (t == DType.FLOAT64) {
            return DenseArray.ofDoubles(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return DenseArray.ofFloats(f, shape);
    }

    /** Positive arguments away from the zeros at 1 and 2, then fixed points on both sides of the poles. */
    private static List<Example> lgamma() {
        List<Example> out = new ArrayList<>(in(new Lgamma(), 2.6, 9));
        out.addAll(in(new Lgamma(), 0.2, 0.7));
        double[] fixed = {-2.7, -1.5, -0.5, -0.25, 0.85, 1.1, 1.9, 2.2, 12.5, 150.25, 0.2};
        out.add(new Example(new Lgamma(), DenseArray.ofDoubles(fixed, fixed.length)));
        out.add(new Example(new Lgamma(), of(DType.FLOAT32, fixed, fixed.length)));
        return out;
    }

    /** Positive arguments away from the zero near 1.4616, and negative ones between the poles. */
    private static List<Example> digamma() {
        List<Example> out = new ArrayList<>(in(new Digamma(), 2, 9));
        out.addAll(in(new Digamma(), 0.25, 1.2));
        double[] fixed = {-2.6, -1.3, -0.4, 0.3, 15.5, 300.75};
        out.add(new Example(new Digamma(), DenseArray.ofDoubles(fixed, fixed.length)));
        out.add(new Example(new Digamma(), of(DType.FLOAT32, fixed, fixed.length)));
        return out;
    }

    /** Orders 1 (trigamma, digamma's derivative) and 2 (trigamma's derivative), positive and negative arguments. */
    private static List<Example> polygamma() {
        List<Example> out = new ArrayList<>();
        for (int m : new int[] {1, 2}) {
            out.addAll(in(new Polygamma(m), 0.4, 6));
            double[] fixed = {-2.6, -1.3, -0.4, 0.5, 12.5, 40};
            out.add(new Example(new Polygamma(m), DenseArray.ofDoubles(fixed, fixed.length)));
        }
        return out;
    }

    /** Both signs, across the hand-over from the power series to the asymptotic series at 30 (not at 0, a kink of i0e that central differences cannot see). */
    private static List<Example> bessel(Primitive p) {
        List<Example> out = new ArrayList<>(in(p, -6, 6));
        double[] fixed = {-45, -29.5, -0.5, 0.25, 3, 29.9, 30.1, 80, 700};
        out.add(new Example(p, DenseArray.ofDoubles(fixed, fixed.length)));
        out.add(new Example(p, of(DType.FLOAT32, fixed, fixed.length)));
        return out;
    }
}
