package dev.solstice.jit;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds programs equation by equation for the compiler's tests (output avals from the shape rules). */
final class ProgramBuilder {
    private final List<Var> inputs = new ArrayList<>();
    private final List<Eqn> eqns = new ArrayList<>();
    private int next;

    /** A new program input. */
    Var input(DType t, int... shape) {
        Var v = new Var(new Aval(t, shape), next++);
        inputs.add(v);
        return v;
    }

    /** Appends {@code p} applied to {@code in}; its first output. */
    Var apply(Primitive p, Atom... in) {
        return applyAll(p, in)[0];
    }

    /** Appends {@code p} applied to {@code in}; all its outputs. */
    Var[] applyAll(Primitive p, Atom... in) {
        Aval[] outAvals = p.shapeRule(Arrays.stream(in).map(Atom::aval).toArray(Aval[]::new));
        Var[] out = new Var[outAvals.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Var(outAvals[i], next++);
        }
        eqns.add(new Eqn(p, in, out));
        return out;
    }

    /** The program with these outputs. */
    Program build(Atom... outputs) {
        return new Program(List.copyOf(inputs), List.copyOf(eqns), List.of(outputs));
    }

    /** Evaluates {@code p} eagerly (the oracle). */
    static DenseArray[] eager(Program p, DenseArray... args) {
        Array[] out = p.evaluate(args);
        return Arrays.stream(out).map(a -> (DenseArray) a).toArray(DenseArray[]::new);
    }

    /** Asserts two arrays have equal avals and bitwise equal elements (NaNs compared by their bits too). */
    static void assertBitwiseEqual(DenseArray expected, DenseArray actual, String what) {
        String diff = JitTesting.difference(expected, actual);
        if (diff != null) {
            throw new AssertionError(what + ": " + diff);
        }
    }
}
