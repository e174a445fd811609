package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.ir.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Forward and reverse mode on flat lists of arrays: the machinery behind {@code Jax}. Every entry point
 * instantiates real zeros at its boundary, for every output, whether or not it depends on the input, so a
 * value is never passed through as its own derivative.
 */
public final class Autodiff {
    private Autodiff() {}

    /**
     * Primal and tangent outputs of {@code f} at {@code primals} along {@code tangents}; a tangent may be a
     * symbolic {@link Zero}, which makes its input a constant. The output tangents are real arrays.
     */
    public static Array[][] jvp(String op, Function<Array[], Array[]> f, Array[] primals, Array[] tangents) {
        checkDifferentiable(op, primals);
        for (int i = 0; i < primals.length; i++) {
            if (!primals[i].aval().equals(tangents[i].aval())) {
                throw new IllegalArgumentException(op + ": tangent " + tangents[i].aval().str() + " does not match primal "
                        + primals[i].aval().str() + " (input " + i + "); a tangent must have its primal's shape and dtype");
            }
        }
        JvpInterpreter jvp = new JvpInterpreter(Interpreters.current());
        Array[] in = new Array[primals.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = jvp.lift(primals[i], tangents[i]);
        }
        Array[] out = Interpreters.runWith(jvp, () -> f.apply(in));
        Array[] p = new Array[out.length];
        Array[] t = new Array[out.length];
        for (int i = 0; i < out.length; i++) {
            p[i] = jvp.primalOf(out[i]);
            t[i] = Zero.instantiate(jvp.tangentOf(out[i]));
        }
        return new Array[][] {p, t};
    }

    /**
     * Linearizes {@code f} at {@code primals}: computes the outputs now and stages the tangent computation as
     * a linear program, to be evaluated forward ({@link Linearized#jvp}) or transposed ({@link Linearized#vjp}).
     * Auxiliary values the function kept aside can be read out with {@link Linearized#lower}.
     */
    public static Linearized linearize(String op, Function<Array[], Array[]> f, Array[] primals) {
        checkDifferentiable(op, primals);
        Interpreter outer = Interpreters.current();
        TangentStager stager = new TangentStager(outer);
        JvpInterpreter jvp = new JvpInterpreter(stager);
        List<StagedTracer> tangentInputs = new ArrayList<>();
        Array[] in = new Array[primals.length];
        Aval[] inAvals = new Aval[primals.length];
        for (int i = 0; i < in.length; i++) {
            StagedTracer t = stager.newInput(primals[i].aval());
            tangentInputs.add(t);
            in[i] = jvp.lift(primals[i], t);
            inAvals[i] = primals[i].aval();
        }
        Array[] out = Interpreters.runWith(jvp, () -> f.apply(in));
        Array[] p = new Array[out.length];
        Array[] t = new Array[out.length];
        Aval[] outAvals = new Aval[out.length];
        for (int i = 0; i < out.length; i++) {
            p[i] = jvp.primalOf(out[i]);
            t[i] = jvp.tangentOf(out[i]);
            outAvals[i] = p[i].aval();
        }
        Program program = stager.program(tangentInputs, t, outAvals);
        return new Linearized(op, p, program, inAvals, outAvals, jvp::primalOf);
    }

    private static void checkDifferentiable(String op, Array[] primals) {
        for (int i = 0; i < primals.length; i++) {
            if (!primals[i].dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": cannot differentiate with respect to input " + i + " of "
                        + primals[i].aval().str() + "; only float32 and float64 inputs have derivatives"
                        + " (convert with astype(DType.FLOAT64), or close over the value instead of passing it)");
            }
        }
    }

    /**
     * A linearized function: its outputs at the linearization point and its linear tangent map.
     *
     * @param op the user-facing operation, for messages
     * @param outputs the primal outputs
     * @param program the staged linear map from input tangents to output tangents
     * @param inAvals the inputs' avals
     * @param outAvals the outputs' avals
     * @param lower replaces a tracer of this linearization by its primal (for auxiliary outputs)
     */
    public record Linearized(String op, Array[] outputs, Program program, Aval[] inAvals, Aval[] outAvals,
            UnaryOperator<Array> lower) {

        /** Output tangents for input tangents (evaluates the linear program forward); real zeros, never symbolic. */
        public Array[] jvp(Array[] tangents) {
            check("tangent", tangents, inAvals);
            return Zero.instantiateAll(program.evaluate(tangents));
        }

        /** Input cotangents for output cotangents (the transposed program); real zeros where nothing flows back. */
        public Array[] vjp(Array[] cotangents) {
            check("cotangent", cotangents, outAvals);
            return Zero.instantiateAll(Transpose.backward(program, cotangents));
        }

        private void check(String what, Array[] given, Aval[] expected) {
            if (given.length != expected.length) {
                throw new IllegalArgumentException(op + ": expected " + expected.length + " " + what + "(s), got " + given.length);
            }
            for (int i = 0; i < given.length; i++) {
                if (given[i] == null || !given[i].aval().equals(expected[i])) {
                    throw new IllegalArgumentException(op + ": " + what + " " + (given[i] == null ? "null" : given[i].aval().str())
                            + " does not match " + expected[i].str() + " (position " + i + "); expected "
                            + Shapes.str(expected));
                }
            }
        }
    }
}
