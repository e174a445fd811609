package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.Cumulative;

/**
 * The running log-sum-exp along {@code axis} (JAX's {@code cumlogsumexp}); see {@link CumulativeReduction}.
 *
 * @param axis the axis accumulated along (negative counts from the end)
 * @param reverse true to accumulate from the last element backwards
 */
public record CumLogSumExp(int axis, boolean reverse) implements CumulativeReduction {
    @Override
    public String name() {
        return "cumlogsumexp";
    }

    @Override
    public Cumulative.Op op() {
        return Cumulative.Op.LOGSUMEXP;
    }

    @Override
    public CumulativeReduction withAxis(int newAxis) {
        return new CumLogSumExp(newAxis, reverse);
    }

    @Override
    public Array[] combineTangents(Array[] a, Array[] b) {
        // JAX's logaddexp and its JVP: each tangent weighted by exp(operand - result), infinities read as 0
        Array value = logAddExp(a[0], b[0]);
        Array v = finiteOrZero(value);
        return new Array[] {value, Ops.add(Ops.mul(a[1], Ops.exp(Ops.sub(finiteOrZero(a[0]), v))),
                Ops.mul(b[1], Ops.exp(Ops.sub(finiteOrZero(b[0]), v))))};
    }

    /** {@code log(exp(x) + exp(y))} as JAX's {@code logaddexp}: the larger plus {@code log1p(exp(-|x - y|))}; x + y where that difference is NaN (equal infinities, NaNs). */
    static Array logAddExp(Array x, Array y) {
        Array delta = Ops.sub(x, y);
        Array stable = Ops.add(Ops.max(x, y), Ops.log1p(Ops.exp(Ops.neg(Ops.abs(delta)))));
        return Ops.select(Ops.ne(delta, delta), Ops.add(x, y), stable);
    }

    /** {@code x} with infinities replaced by 0 (JAX's {@code _replace_inf} in logaddexp's JVP). */
    private static Array finiteOrZero(Array x) {
        Array inf = Ops.full(x.aval(), Double.POSITIVE_INFINITY);
        return Ops.select(Ops.eq(Ops.abs(x), inf), Ops.zerosLike(x), x);
    }
}
