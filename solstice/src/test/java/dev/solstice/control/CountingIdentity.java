package dev.solstice.control;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-side primitive: the identity on float64 arrays, counting how often it is evaluated (a batched call counts
 * once). Put in a loop body, it counts the body's evaluations at run time, which tracing cannot (a body is traced
 * once). Its derivatives pass tangents and cotangents through without evaluating it.
 *
 * @param evals the evaluations so far
 */
record CountingIdentity(AtomicInteger evals) implements Primitive {
    CountingIdentity() {
        this(new AtomicInteger());
    }

    Array apply(Array x) {
        return Interpreters.bind1(this, x);
    }

    int evaluations() {
        return evals.get();
    }

    @Override
    public String name() {
        return "counting_identity";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        return new Aval[] {in[0]};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        evals.incrementAndGet();
        return new DenseArray[] {DenseArray.wrap(outAvals[0], in[0].doubles().clone())};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {tangents[0]};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {cts[0]};
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(new Array[] {apply(vals[0])}, dims.clone());
    }
}
