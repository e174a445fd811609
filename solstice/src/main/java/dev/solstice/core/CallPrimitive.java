package dev.solstice.core;

import dev.solstice.Array;

/**
 * A primitive that stands for a call of a Java function with custom rules attached (custom_jvp, custom_vjp).
 * An interpreter with no special handling for it simply runs the function: {@link #inline}.
 */
public interface CallPrimitive extends Primitive {

    /** Runs the wrapped function on {@code args} under the current interpreter. */
    Array[] inline(Array[] args);

    /** The user functions this call wraps (function, rules), searched for closed-over tracers. */
    Object[] functions();

    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Array[] out = inline(in);
        DenseArray[] d = new DenseArray[out.length];
        for (int i = 0; i < out.length; i++) {
            d[i] = out[i].concrete();
        }
        return d;
    }
}
