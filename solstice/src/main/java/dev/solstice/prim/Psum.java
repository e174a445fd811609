package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.AxisCollective;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Shapes;

/**
 * The sum over the examples of the vmap named {@code axisName} (JAX's psum): every example gets the same
 * total. Linear; its transpose is itself (each example's cotangent is the total of the output cotangents).
 *
 * @param axisName the vmap axis name
 */
public record Psum(String axisName) implements AxisCollective {
    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        if (in[0].dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": bool operand " + in[0].str() + " cannot be summed; convert it first");
        }
        return new Aval[] {in[0]};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        throw new IllegalArgumentException(name() + ": no vmap with axis name '" + axisName + "' is active around this"
                + " call (operand " + in[0].aval().str() + "); call it inside Jax.vmap(f, inAxes, outAxes, \"" + axisName + "\")");
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Interpreters.bind1(this, tangents[0])};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Interpreters.bind1(this, cts[0])};
    }

    /** Under a vmap of another name it is elementwise: the batch axis passes through. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return Batched.of(Interpreters.bind1(this, vals[0]), dims[0]);
    }

    @Override
    public Batched acrossAxis(Array val, int dim, int axisSize) {
        if (dim == Batched.NOT_BATCHED) {
            return Batched.of(Ops.mul(val, Ops.fullLike(val, axisSize)), Batched.NOT_BATCHED);
        }
        return Batched.of(Ops.reduceSum(val, dim), Batched.NOT_BATCHED);
    }
}
