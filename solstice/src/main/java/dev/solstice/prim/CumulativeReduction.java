package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Cumulative;

/**
 * The family of cumulative reductions along one axis (JAX's {@code cumsum}, {@code cumprod}, {@code cummax},
 * {@code cummin}, {@code cumlogsumexp}): inclusive, from the start or, {@code reverse}, from the end; the output
 * has the operand's shape and dtype. Numeric dtypes (bool is refused, as JAX's {@code _cumred_dtype_rule}
 * refuses non-numbers); cumlogsumexp floats only. Evaluated by a strided loop ({@link Cumulative}).
 *
 * <p>Derivatives as JAX's ({@code jax/_src/lax/control_flow/loops.py}, {@code _cumulative_jvp_rule}): the JVP
 * is the JVP of the parallel prefix scan of the combining function ({@link AssociativeScan}), which carries
 * (value, tangent) pairs; members other than cumsum give their combine rule in {@link #combineTangents}.
 * cumsum is linear and overrides the JVP and transpose. Batching renumbers the axis around the batch axis.
 */
public interface CumulativeReduction extends Primitive {

    /** The axis accumulated along (negative counts from the end). */
    int axis();

    /** True to accumulate from the last element backwards. */
    boolean reverse();

    /** The kernel's reduction. */
    Cumulative.Op op();

    /** The same reduction along another axis. */
    CumulativeReduction withAxis(int axis);

    /**
     * The combine of the scan the JVP runs: from {@code (a, ta)} and {@code (b, tb)} (value and tangent) the
     * combined value and its tangent.
     */
    Array[] combineTangents(Array[] a, Array[] b);

    @Override
    default Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        DType t = in[0].dtype();
        boolean ok = in[0].rank() >= 1 && (op() == Cumulative.Op.LOGSUMEXP ? t.isFloating() : t != DType.BOOL);
        if (!ok) {
            throw new IllegalArgumentException(name() + ": cannot accumulate " + in[0].str() + "; need an operand of rank"
                    + " at least 1 and a " + (op() == Cumulative.Op.LOGSUMEXP ? "floating" : "numeric (not bool)") + " dtype");
        }
        Shapes.axis(name() + " of " + in[0].str(), axis(), in[0].rank());
        return new Aval[] {in[0]};
    }

    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        int a = Shapes.axis(name(), axis(), in[0].aval().rank());
        return new DenseArray[] {Cumulative.scan(in[0], a, reverse(), op(), outAvals[0])};
    }

    @Override
    default Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        int a = Shapes.axis(name(), axis(), primals[0].ndim());
        Array[] scanned = AssociativeScan.scan(this::combineTangents, new Array[] {primals[0], tangents[0]}, a, reverse());
        return new Array[] {scanned[1]};
    }

    /** Batching: the axis is renumbered around the batch axis, which stays where it is. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        int a = BatchRules.shift(Shapes.axis(name(), axis(), vals[0].ndim() - 1), d);
        return Batched.of(Interpreters.bind1(withAxis(a), vals[0]), d);
    }

    /**
     * JAX's derivative weights of {@code max}/{@code min} ({@code _balanced_eq}): 1 for the operand equal to the
     * result, 1/2 each when both are.
     */
    static Array[] balancedExtreme(Array value, Array[] a, Array[] b) {
        Array wa = balancedWeight(a[0], value, b[0]);
        Array wb = balancedWeight(b[0], value, a[0]);
        return new Array[] {value, Ops.add(Ops.mul(a[1], wa), Ops.mul(b[1], wb))};
    }

    private static Array balancedWeight(Array x, Array z, Array y) {
        Aval av = x.aval();
        Array half = Ops.select(Ops.eq(y, z), Ops.full(av, 0.5), Ops.full(av, 1));
        return Ops.select(Ops.eq(x, z), half, Ops.full(av, 0));
    }
}
