package dev.solstice.core;

import dev.solstice.Array;

/**
 * A primitive operation: the unit every transformation understands. One class holds all of a primitive's
 * rules side by side: the shape and dtype rule, concrete evaluation, the JVP rule and, for primitives that
 * are linear in some inputs, the transpose rule. Parameters are the components of the (record) class.
 *
 * <p>Rules are written with ordinary operations ({@code Jnp}, {@code Lax} or other primitives' {@code bind}),
 * so they are themselves differentiable: that is what makes derivatives of any order work.
 */
public interface Primitive {

    /** JAX's name for the primitive, for example {@code dot_general}; derived from the class name. */
    default String name() {
        return Names.primitiveName(getClass());
    }

    /**
     * The shape and dtype rule: the output avals for the given input avals. Rejects bad input with an
     * {@link IllegalArgumentException} whose message names the primitive, the shapes and dtypes, and what to do.
     */
    Aval[] shapeRule(Aval[] in);

    /** Concrete evaluation; inputs have already passed {@link #shapeRule}. */
    DenseArray[] eval(DenseArray[] in);

    /**
     * The JVP rule: output tangents given the primal inputs, the primal outputs and the input tangents.
     * A {@code null} tangent is a symbolic zero, in and out. Runs under the enclosing interpreter, so every
     * operation it performs is itself traced by outer transformations.
     */
    default Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        throw new UnsupportedOperationException(name() + " has no JVP rule");
    }

    /**
     * Primal outputs and output tangents together. The default binds the primitive on the primals and then
     * calls {@link #jvp}; call primitives (custom rules) override it because their rule produces both.
     */
    default Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        Array[] outs = Interpreters.bind(this, primals);
        return new Array[][] {outs, jvp(primals, outs, tangents)};
    }

    /**
     * The transpose rule of a primitive that is linear in the inputs whose {@code args} entry is
     * {@code null} (their avals are in {@code inAvals}); the other inputs are known constants. Returns one
     * cotangent per input ({@code null} for a constant input or a zero cotangent). {@code cts} holds one
     * cotangent per output, {@code null} meaning zero.
     */
    default Array[] transpose(Array[] cts, Array[] args, Aval[] inAvals) {
        throw new IllegalStateException(name() + " is not linear in its inputs, so it cannot be transposed");
    }

    /**
     * What {@link #batch} returns for a primitive without a batching rule of its own (compared by identity):
     * the batch interpreter then applies the primitive to one example at a time and stacks the results,
     * which is correct for every primitive.
     */
    Batched NO_BATCH_RULE = new Batched(new Array[0], new int[0]);

    /**
     * The batching rule (vmap): applies the primitive to operands of which some carry an extra batch axis
     * ({@code dims[i]}, or {@link Batched#NOT_BATCHED}) of length {@code axisSize}. Runs under the enclosing
     * interpreter. The default is {@link #NO_BATCH_RULE}, leaving the per-example loop to the batch
     * interpreter; families and primitives override it with a single batched operation.
     */
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        return NO_BATCH_RULE;
    }
}
