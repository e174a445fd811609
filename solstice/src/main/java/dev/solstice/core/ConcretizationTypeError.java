package dev.solstice.core;

/**
 * A value that is only known abstractly (a traced value inside {@code Jax.jit}, {@code Jax.makeJaxpr} or a
 * staged control-flow body) was asked for concrete numbers: {@code item()}, {@code toDoubleArray()}, or a
 * Java {@code if} or loop bound computed from an array. Named after JAX's error of the same meaning.
 */
public final class ConcretizationTypeError extends IllegalStateException {

    /** An error whose message names the operation that needed a concrete value and the traced aval. */
    public ConcretizationTypeError(String operation, Aval aval) {
        super(operation + " needs a concrete value, but this array (" + aval.str() + ") is traced: inside jit"
                + " (or makeJaxpr, or a control-flow body) arrays stand for any value of their shape and dtype. Branch"
                + " on it with Lax.cond / Lax.select / Jnp.where instead of a Java if, or make the argument static"
                + " (JitOptions.staticArgs, or a non-array leaf under Eqx.filterJit) so that its value is known when tracing.");
    }
}
