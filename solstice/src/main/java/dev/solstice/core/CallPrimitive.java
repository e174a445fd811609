package dev.solstice.core;

import dev.solstice.Array;

/**
 * A primitive that stands for a call of a staged function with custom rules attached (custom_jvp,
 * custom_vjp). Its operands are the values the function captured (closure conversion), then the function's
 * explicit arguments: every value the function depends on is an operand, so every transformation sees it.
 * The custom rule covers only the explicit arguments, as JAX's. An interpreter with no special handling for
 * the call runs the function: {@link #inline}.
 */
public interface CallPrimitive extends Primitive {

    /** How many leading operands are values the function captured; the rest are its explicit arguments. */
    int numCaptured();

    /** Runs the wrapped function on {@code operands} (captured values, then arguments) under the current interpreter. */
    Array[] inline(Array[] operands);

    @Override
    default boolean evaluatesNarrowTypes() {
        return true; // the function's own operations widen what they compute
    }

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
