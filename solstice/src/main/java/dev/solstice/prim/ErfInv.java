package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/**
 * The inverse error function on {@code [-1, 1]} (JAX's {@code erf_inv}): {@code erf_inv(±1) = ±inf}, NaN
 * outside. Derivative {@code sqrt(pi)/2 * exp(y^2)} with {@code y} the output.
 *
 * <p>float32 follows XLA's {@code ErfInv32} exactly as written (M. Giles, "Approximating the erfinv function",
 * GPU Computing Gems, 2011: {@code w = -log1p(-x*x)}, a degree-8 polynomial in {@code w - 2.5} for
 * {@code w < 5}, else in {@code sqrt(w) - 3}, times {@code x}), evaluated in float arithmetic, so that
 * {@code Prng.normal} follows JAX's float32 values (to the ulp or so that XLA's own {@code log1p} may differ
 * by). float64 starts from the same approximation and refines it by Newton steps on {@code erf(y) = x} (on
 * {@code log erfc(y) = log(1 - |x|)} in the tails), to within a few ulp.
 */
public record ErfInv() implements ElementwiseUnary {

    private static final float[] LOW = {2.81022636e-08f, 3.43273939e-07f, -3.5233877e-06f, -4.39150654e-06f,
        0.00021858087f, -0.00125372503f, -0.00417768164f, 0.246640727f, 1.50140941f};
    private static final float[] HIGH = {-0.000200214257f, 0.000100950558f, 0.00134934322f, -0.00367342844f,
        0.00573950773f, -0.0076224613f, 0.00943887047f, 1.00167406f, 2.83297682f};
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    @Override
    public double apply(double x) {
        return erfInv64(x);
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        if (in[0].aval().dtype() != DType.FLOAT32) {
            return ElementwiseUnary.super.eval(in, outAvals);
        }
        float[] a = in[0].floats();
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = erfInv32(a[i]);
        }
        return new DenseArray[] {DenseArray.wrap(in[0].aval(), o)};
    }

    /** XLA's single-precision erf_inv (Giles), in float arithmetic. */
    static float erfInv32(float x) {
        if (Math.abs(x) == 1f) {
            return x * Float.POSITIVE_INFINITY;
        }
        float w = -(float) Math.log1p(-(x * x));
        float p;
        if (w < 5f) {
            w = w - 2.5f;
            p = LOW[0];
            for (int i = 1; i < LOW.length; i++) {
                p = LOW[i] + p * w;
            }
        } else {
            w = (float) Math.sqrt(w) - 3f;
            p = HIGH[0];
            for (int i = 1; i < HIGH.length; i++) {
                p = HIGH[i] + p * w;
            }
        }
        return p * x;
    }

    /** Double-precision erf_inv: the float32 approximation refined by Newton steps. */
    static double erfInv64(double x) {
        if (Double.isNaN(x) || Math.abs(x) > 1) {
            return Double.NaN;
        }
        if (Math.abs(x) == 1) {
            return x * Double.POSITIVE_INFINITY;
        }
        if (x == 0) {
            return x;
        }
        double a = Math.abs(x);
        double y = Math.abs(guess(a));
        if (a <= 0.9) {
            for (int i = 0; i < 4; i++) {
                double step = (ErfFunction.erf(y) - a) / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
                y -= step;
                if (Math.abs(step) <= 1e-17 * y) {
                    break;
                }
            }
        } else {
            // Newton on log(erfc(y)) = log(1 - |x|), nearly quadratic in y, so it converges from the rough guess;
            // 1 - |x| is exact for |x| in [0.5, 1]. d log(erfc(y)) / dy = -2/sqrt(pi) exp(-y^2) / erfc(y).
            double logC = Math.log(1 - a);
            for (int i = 0; i < 60; i++) {
                double e = erfc(y);
                double step = (Math.log(e) - logC) * e / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
                y += step;
                if (Math.abs(step) <= 1e-16 * y) {
                    break;
                }
            }
        }
        return x < 0 ? -y : y;
    }

    /** The float32 approximation evaluated in double, as a starting point. */
    private static double guess(double x) {
        double w = -Math.log1p(-x * x);
        double p;
        if (w < 5) {
            w -= 2.5;
            p = LOW[0];
            for (int i = 1; i < LOW.length; i++) {
                p = LOW[i] + p * w;
            }
        } else {
            w = Math.sqrt(w) - 3;
            p = HIGH[0];
            for (int i = 1; i < HIGH.length; i++) {
                p = HIGH[i] + p * w;
            }
        }
        return p * x;
    }

    /** erfc(y) for y > 0 with relative accuracy (shared with erf). */
    static double erfc(double y) {
        return ErfFunction.erfc(y);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.mul(Ops.fullLike(y, Math.sqrt(Math.PI) / 2), Ops.exp(Ops.mul(y, y))));
    }
}
