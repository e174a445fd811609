package dev.solstice.transform;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Tracer;
import dev.solstice.ir.Var;

/** A value that is only known abstractly: a variable of the program a {@link TangentStager} is building. */
final class StagedTracer extends Tracer {
    private final TangentStager owner;
    final Var var;

    StagedTracer(TangentStager owner, Var var) {
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
        throw new IllegalStateException("a staged tangent (" + aval().str() + ") has no concrete value");
    }

    @Override
    public DenseArray concrete() {
        throw new IllegalStateException("a staged tangent (" + aval().str() + ") has no concrete value");
    }

    @Override
    public String toString() {
        return "StagedTracer(" + var + ":" + aval().str() + ")";
    }
}
