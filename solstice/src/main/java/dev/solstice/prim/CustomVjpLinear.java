package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.TangentOnly;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import java.util.function.BiFunction;

/**
 * The tangent map of a customVjp function, known only through its transpose {@code bwd} (JAX's custom_lin).
 * Operands are the residuals, then the tangents of the inputs that are perturbed ({@link CustomVjpCall}
 * leaves out those whose tangent is a symbolic zero). Reverse mode transposes it; evaluating it means
 * forward-mode differentiation, which a custom VJP cannot give, so that is an error, as in JAX.
 *
 * @param bwd given residuals and output cotangents, returns one cotangent per tangent operand
 * @param numResiduals how many leading operands are residuals
 * @param inAvals the avals of the tangent operands (the perturbed inputs)
 * @param outAvals the avals of the function's outputs
 */
public record CustomVjpLinear(BiFunction<Array[], Array[], Array[]> bwd, int numResiduals, Aval[] inAvals,
        Aval[] outAvals) implements TangentOnly {

    @Override
    public String name() {
        return "custom_vjp_linear";
    }

    private static UnsupportedOperationException forwardMode() {
        return new UnsupportedOperationException("customVjp: forward-mode differentiation (jvp, jacfwd,"
                + " linearize's forward evaluation) of a function with a custom VJP is not supported, as in JAX;"
                + " use reverse mode (grad, vjp, jacrev), or define the function with customJvp instead. (Forward"
                + " over reverse, as in hessian, works when fwd does not call the customVjp function itself.)");
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        for (int i = 0; i < inAvals.length; i++) {
            if (!in[numResiduals + i].equals(inAvals[i])) {
                throw new IllegalArgumentException(name() + ": tangent " + in[numResiduals + i].str()
                        + " does not match input " + inAvals[i].str());
            }
        }
        return outAvals.clone();
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        throw forwardMode();
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        throw forwardMode();
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        throw forwardMode();
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Array[] residuals = new Array[numResiduals];
        System.arraycopy(args, 0, residuals, 0, numResiduals);
        // the user's bwd sees real arrays
        Array[] inCts = checkedCotangents(bwd.apply(residuals, Zero.instantiateAll(cts)), inAvals);
        Array[] out = new Array[args.length];
        for (int i = 0; i < numResiduals; i++) {
            out[i] = Zero.like(args[i]);
        }
        System.arraycopy(inCts, 0, out, numResiduals, inCts.length);
        return out;
    }

    /**
     * The cotangents a {@code bwd} returned, checked to be one per input of the input's aval; a {@code null}
     * (allowed: a zero) becomes a symbolic {@link Zero}.
     */
    static Array[] checkedCotangents(Array[] inCts, Aval[] inAvals) {
        if (inCts == null || inCts.length != inAvals.length) {
            throw new IllegalArgumentException("customVjp: bwd must return one cotangent per input (" + inAvals.length
                    + "), got " + (inCts == null ? "null" : inCts.length));
        }
        Array[] out = new Array[inCts.length];
        for (int i = 0; i < inAvals.length; i++) {
            if (inCts[i] != null && !inCts[i].aval().equals(inAvals[i])) {
                throw new IllegalArgumentException("customVjp: bwd returned a cotangent of " + inCts[i].aval().str()
                        + " for input " + i + " of " + inAvals[i].str() + " (inputs: " + Shapes.str(inAvals) + ")");
            }
            out[i] = inCts[i] != null ? inCts[i] : Zero.of(inAvals[i]);
        }
        return out;
    }
}
