package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Tracer;

/**
 * A truncated power series of one {@link JetInterpreter}: {@code coeffs[0]} is the primal and {@code coeffs[k]}
 * the k-th normalised Taylor coefficient (the k-th derivative along the path divided by k!), each an array of the
 * primal's aval.
 */
final class JetTracer extends Tracer {
    private final JetInterpreter owner;
    final Array[] coeffs;

    JetTracer(JetInterpreter owner, Array[] coeffs) {
        this.owner = owner;
        this.coeffs = coeffs;
    }

    @Override
    public Interpreter owner() {
        return owner;
    }

    @Override
    public Aval aval() {
        return coeffs[0].aval();
    }

    @Override
    public double item() {
        return coeffs[0].item();
    }

    @Override
    public DenseArray concrete() {
        throw new IllegalStateException("a value carrying a Taylor series (" + aval().str() + ") cannot be read as a"
                + " concrete array inside jet; use item() for a scalar, or return the value from the function");
    }

    @Override
    public String toString() {
        return "JetTracer(" + aval().str() + ", order " + (coeffs.length - 1) + ")";
    }
}
