package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/**
 * The exponentially scaled modified Bessel function of order 1, e^{-|x|} I1(x) (JAX's {@code lax.bessel_i1e});
 * derivative i0e(x) - i1e(x) (sign(x) + 1/x), taken as its limit 1/2 where |x| is at most the dtype's epsilon
 * (JAX's rule, which keeps 1/x finite).
 */
public record BesselI1e() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return BesselFunctions.i1e(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        double eps = x.dtype() == dev.solstice.DType.FLOAT32 ? Math.ulp(1f) : Math.ulp(1.0);
        Array epsilon = Ops.fullLike(x, eps);
        Array notTiny = Ops.gt(Ops.abs(x), epsilon);
        Array safe = Ops.select(notTiny, x, epsilon);
        Array i0 = Interpreters.bind1(new BesselI0e(), safe);
        Array slope = Ops.sub(i0, Ops.mul(y, Ops.add(Ops.sign(safe), Ops.div(Ops.fullLike(x, 1), safe))));
        return Ops.mul(g, Ops.select(notTiny, slope, Ops.fullLike(x, 0.5)));
    }
}
