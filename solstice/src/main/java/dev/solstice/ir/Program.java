package dev.solstice.ir;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A staged program: input variables, equations in order, and output atoms. Linearize produces one whose
 * equations are linear in the inputs; reverse mode walks it backwards with the transpose rules.
 */
public record Program(List<Var> inputs, List<Eqn> eqns, List<Atom> outputs) {

    /** The avals of the inputs, in order. */
    public Aval[] inAvals() {
        Aval[] a = new Aval[inputs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = inputs.get(i).aval();
        }
        return a;
    }

    /** The avals of the outputs, in order: what a call of the program gives. */
    public Aval[] outAvals() {
        Aval[] a = new Aval[outputs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = outputs.get(i).aval();
        }
        return a;
    }

    /**
     * Whether an equation acts across the examples of the vmap named {@code axisName} (a collective over it,
     * directly or inside a called program): see {@link Primitive#usesAxisName}.
     */
    public boolean usesAxisName(String axisName) {
        for (Eqn e : eqns) {
            if (e.primitive().usesAxisName(axisName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the program on {@code args} under the current interpreter (so it can itself be
     * differentiated or staged again). An output that is a symbolic {@link dev.solstice.core.Zero} comes back
     * as it is; the caller instantiates it where the result leaves the library.
     */
    public Array[] evaluate(Array[] args) {
        Map<Var, Array> env = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            env.put(inputs.get(i), args[i]);
        }
        for (Eqn e : eqns) {
            Array[] in = new Array[e.inputs().length];
            for (int i = 0; i < in.length; i++) {
                in[i] = read(env, e.inputs()[i]);
            }
            Array[] out = apply(e, in);
            for (int i = 0; i < out.length; i++) {
                env.put(e.outputs()[i], out[i]);
            }
        }
        Array[] result = new Array[outputs.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = read(env, outputs.get(i));
        }
        return result;
    }

    /**
     * Binds the equation's primitive; evaluated concretely on inputs of the avals it was staged with, it reuses
     * the staged output avals instead of running the shape rule again.
     */
    private static Array[] apply(Eqn e, Array[] in) {
        Primitive p = e.primitive();
        if (Interpreters.current() != EvalInterpreter.INSTANCE || p instanceof CallPrimitive) {
            return Interpreters.bind(p, in);
        }
        DenseArray[] dense = new DenseArray[in.length];
        for (int i = 0; i < in.length; i++) {
            if (!(in[i] instanceof DenseArray d) || !d.aval().equals(e.inputs()[i].aval())) {
                return Interpreters.bind(p, in);
            }
            dense[i] = d;
        }
        Aval[] outAvals = new Aval[e.outputs().length];
        for (int i = 0; i < outAvals.length; i++) {
            outAvals[i] = e.outputs()[i].aval();
        }
        return EvalInterpreter.evalWithAvals(p, dense, outAvals);
    }

    private static Array read(Map<Var, Array> env, Atom a) {
        return a instanceof Const c ? c.value() : env.get((Var) a); // Atom is Const or Var
    }

    /** The program in JAX's jaxpr layout (see {@link ClosedProgram#toString} for one with constvars). */
    @Override
    public String toString() {
        return JaxprPrinter.print(this, 0);
    }
}
