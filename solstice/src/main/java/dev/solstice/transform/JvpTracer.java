package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Tracer;

/** A dual number of one JVP interpreter instance: a primal value and its tangent (never a symbolic zero). */
final class JvpTracer extends Tracer {
    private final JvpInterpreter owner;
    final Array primal;
    final Array tangent;

    JvpTracer(JvpInterpreter owner, Array primal, Array tangent) {
        this.owner = owner;
        this.primal = primal;
        this.tangent = tangent;
    }

    @Override
    public Interpreter owner() {
        return owner;
    }

    @Override
    public Aval aval() {
        return primal.aval();
    }

    @Override
    public double item() {
        return primal.item();
    }

    @Override
    public DenseArray concrete() {
        throw new IllegalStateException("a value being differentiated (" + aval().str() + ") cannot be read as a"
                + " concrete array inside the transformation; use item() for a scalar, or return the value from"
                + " the transformed function");
    }

    @Override
    public String toString() {
        return "JvpTracer(" + aval().str() + ")";
    }
}
