package dev.solstice.transform;

import dev.solstice.core.Aval;
import dev.solstice.core.ConcretizationTypeError;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Tracer;
import dev.solstice.ir.Var;

/**
 * A value only known abstractly: a variable of the program an interpreter is building (a function traced by
 * {@link StagingInterpreter}, or the tangents {@link TangentStager} stages for linearize). Asking it for numbers
 * throws a {@link ConcretizationTypeError} naming the {@code Array} call that asked.
 */
final class StagedTracer extends Tracer {
    private final Interpreter owner;
    final Var var;

    StagedTracer(Interpreter owner, Var var) {
        this.owner = owner;
        this.var = var;
    }

    @Override
    public Interpreter owner() {
        return owner;
    }

    @Override
    public Aval aval() {
        return var.aval();
    }

    @Override
    public double item() {
        throw new ConcretizationTypeError(callerOperation("item()"), aval());
    }

    @Override
    public DenseArray concrete() {
        throw new ConcretizationTypeError(callerOperation("reading the values"), aval());
    }

    /**
     * The public method of {@code Array} that asked for a concrete value ({@code toDoubleArray()}, ...), found on
     * the stack, so the error names what the user called; {@code fallback} when it was not one of those.
     */
    private static String callerOperation(String fallback) {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().equals("dev.solstice.Array"))
                .reduce((first, second) -> second) // the outermost Array method is the one the user called
                .map(f -> f.getMethodName() + "()")
                .orElse(fallback));
    }

    @Override
    public String toString() {
        return "Traced<" + aval().str() + ">";
    }
}
