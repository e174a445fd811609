package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;

/**
 * {@code x^n} for a fixed integer {@code n}, by repeated squaring; derivative {@code n x^(n-1)}, which is
 * exactly zero for {@code n = 0} and gives 0, 1, 2 at {@code x = 0} for n = 2, 1 and the second derivative
 * of {@code x^2} (the integer power convention).
 *
 * @param n the exponent; negative exponents need a floating-point operand
 */
public record IntegerPow(int n) implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        double r = 1;
        double b = x;
        for (int e = Math.abs(n); e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                r *= b;
            }
            b *= b;
        }
        return n < 0 ? 1 / r : r;
    }

    @Override
    public long applyLong(long x) {
        long r = 1;
        long b = x;
        for (int e = n; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                r *= b;
            }
            b *= b;
        }
        return r;
    }

    @Override
    public int applyInt(int x) {
        int r = 1;
        int b = x;
        for (int e = n; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                r *= b;
            }
            b *= b;
        }
        return r;
    }

    @Override
    public boolean accepts(DType t) {
        return t.isFloating() || (t.isInteger() && n >= 0);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        if (n == 0) {
            return Zero.like(y);
        }
        Array power = n == 1 ? Ops.fullLike(x, 1) : Ops.integerPow(x, n - 1);
        return Ops.mul(g, Ops.mul(Ops.fullLike(x, n), power));
    }
}
