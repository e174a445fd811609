package dev.solstice.core;

import dev.solstice.Array;

/**
 * A primitive operation: the unit every transformation understands. One class holds all of a primitive's
 * rules side by side: the shape and dtype rule, concrete evaluation, the JVP rule and, for primitives that
 * are linear in some inputs, the transpose rule. Parameters are the components of the (record) class.
 *
 * <p>Rules are written with ordinary operations (the primitives bound through {@code dev.solstice.prim.Ops}),
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
    DenseArray[] eval(DenseArray[] in, Aval[] outAvals);

    /**
     * Whether {@link #eval} takes operands and gives results of the narrow dtypes as they are stored
     * ({@link dev.solstice.DType#isStoredNarrow()}). The default is {@code false}: the eval interpreter then
     * widens narrow operands to their compute types, evaluates with the compute types' output avals, and
     * narrows the results back ({@link NarrowTypes}), so that a primitive's kernels only ever see float64,
     * float32, int64, int32 and bool. A primitive that converts between dtypes answers {@code true} to round
     * once, not twice.
     */
    default boolean evaluatesNarrowTypes() {
        return false;
    }

    /**
     * The JVP rule: output tangents given the primal inputs, the primal outputs and the input tangents.
     * Tangents are never {@code null}: a tangent that is structurally zero is a {@link Zero} carrying the
     * primal's aval, in and out. At least one input tangent is not a {@code Zero} (otherwise the primitive is
     * simply applied to the primals), so a rule of one input never sees one. The rule returns one tangent per
     * output, {@code Zero.of(aval)} where it is zero, and never computes with a {@code Zero}: it skips it or,
     * where real zeros are needed, {@link Zero#instantiate}s it. Runs under the enclosing interpreter, so
     * every operation it performs is itself traced by outer transformations.
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
     * The transpose rule of a primitive that is linear in the inputs marked {@link UndefinedPrimal} in
     * {@code args} (the marker carries the input's aval); the other entries are known constants. {@code cts}
     * holds one cotangent per output, a {@link Zero} where it is zero, and at least one is not (a primitive
     * of one output never sees a {@code Zero}). Returns one cotangent per input, never {@code null}: a
     * {@code Zero} for a constant input and for a linear input that receives nothing. Neither marker may be
     * computed with; only its aval is read.
     */
    default Array[] transpose(Array[] cts, Array[] args) {
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

    /**
     * Whether the primitive acts across the examples of the vmap named {@code axisName}: a collective over that
     * axis, or a call whose program contains one. Such a primitive is batched by that vmap even when none of its
     * operands varies across it. The default is {@code false}.
     */
    default boolean usesAxisName(String axisName) {
        return false;
    }
}
