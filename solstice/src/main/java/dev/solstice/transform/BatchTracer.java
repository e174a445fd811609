package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Tracer;
import dev.solstice.prim.BatchRules;

/** A batch of values seen by one vmap: the stacked value and the axis of it that runs over the examples. */
final class BatchTracer extends Tracer {
    private final BatchInterpreter owner;
    final Array val;
    final int dim;
    private final Aval aval;

    BatchTracer(BatchInterpreter owner, Array val, int dim) {
        this.owner = owner;
        this.val = val;
        this.dim = dim;
        this.aval = BatchRules.dropAxis(val.aval(), dim); // one example's; asked for often (shape rules, zeros)
    }

    @Override
    public Interpreter owner() {
        return owner;
    }

    /** The tag of the vmap this value belongs to (see {@link BatchInterpreter#reenter}). */
    Object tag() {
        return owner.tag();
    }

    @Override
    public Aval aval() {
        return aval;
    }

    @Override
    public double item() {
        throw new IllegalStateException("a value batched by vmap (" + aval().str() + " per example) has no single"
                + " concrete value; Java control flow cannot depend on it");
    }

    @Override
    public DenseArray concrete() {
        throw new IllegalStateException("a value batched by vmap (" + aval().str() + " per example) cannot be read"
                + " as a concrete array inside vmap; return it from the function instead");
    }

    @Override
    public String toString() {
        return "BatchTracer(" + aval().str() + ", batch axis " + dim + " of " + val.aval().str() + ")";
    }
}
