package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;

/**
 * {@code pred ? onTrue : onFalse} elementwise. The predicate is never differentiated; each branch's tangent
 * flows only where that branch is chosen. Linear in the two branches.
 */
public record Select() implements Primitive {
    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 3);
        if (in[0].dtype() != DType.BOOL || !in[0].sameShape(in[1]) || !in[1].equals(in[2])) {
            throw new IllegalArgumentException(name() + ": needs a bool predicate and two branches all of one shape,"
                    + " the branches of one dtype; got " + Shapes.str(in) + " (Jnp.where broadcasts and promotes)");
        }
        return new Aval[] {in[1]};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return new DenseArray[] {Kernels.get().select(in[0], in[1], in[2])};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        if (Zero.isZero(tangents[1]) && Zero.isZero(tangents[2])) {
            return new Array[] {Zero.like(outs[0])};
        }
        // the zeros are needed: the selected tangent is zero wherever the zero branch is chosen
        Array t = Zero.instantiate(tangents[1]);
        Array f = Zero.instantiate(tangents[2]);
        return new Array[] {Ops.select(primals[0], t, f)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        if (args[0] instanceof UndefinedPrimal) {
            throw new IllegalStateException("select: the predicate cannot be linear");
        }
        Array ct = cts[0];
        Array zeros = Ops.zerosLike(ct);
        return new Array[] {Zero.like(args[0]),
            Tangents.ifLinear(args[1], () -> Ops.select(args[0], ct, zeros)),
            Tangents.ifLinear(args[2], () -> Ops.select(args[0], zeros, ct))};
    }

    /** Batching: operands batched on one axis are selected directly; otherwise all batch axes go first. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        if (dims[0] == dims[1] && dims[1] == dims[2]) {
            return Batched.of(Ops.select(vals[0], vals[1], vals[2]), dims[0]);
        }
        Array[] f = BatchRules.allToFront(vals, dims, axisSize);
        return Batched.of(Ops.select(f[0], f[1], f[2]), 0);
    }
}
