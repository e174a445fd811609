package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;

/**
 * JAX's {@code checkpoint_name}: the identity, carrying a name that a checkpoint policy can select the value by
 * ({@code CheckpointPolicy.saveOnlyNames}). Transparent to every transformation: its JVP names the primal again
 * and passes the tangent, its transpose passes the cotangent, its batching names the batched value.
 *
 * @param label the name given to the value
 */
public record CheckpointName(String label) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        if (in.length != 1) {
            throw new IllegalArgumentException("checkpoint_name(" + label + "): takes one operand, got " + in.length);
        }
        return in.clone();
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return in.clone();
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        return new Array[][] {Interpreters.bind(this, primals), tangents.clone()};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return tangents.clone();
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return cts.clone();
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, vals), dims.clone());
    }
}
