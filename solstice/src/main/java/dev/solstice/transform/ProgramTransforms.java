package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;
import dev.solstice.core.TangentOnly;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Transformations of a whole program, as functions of flat arrays ready to be traced into derived programs: the
 * JVP of a program, its vmap, and the backward pass of a program linear in some inputs. Shared by the rules of
 * every primitive that holds programs (jit calls, cond, while); each caller stages the function its own way.
 */
final class ProgramTransforms {
    private ProgramTransforms() {}

    /**
     * The JVP of {@code p}: arguments are its inputs, then one tangent per input marked {@code nonzero}; results
     * are its outputs, then one tangent per output (a symbolic {@link Zero} where it is structurally zero).
     */
    static Function<Array[], Array[]> jvp(Program p, boolean[] nonzero) {
        int n = nonzero.length;
        return args -> {
            JvpInterpreter jvp = new JvpInterpreter(Interpreters.current());
            Array[] in = new Array[n];
            int k = n;
            for (int i = 0; i < n; i++) {
                in[i] = nonzero[i] ? jvp.lift(args[i], args[k++]) : args[i];
            }
            Array[] out = Interpreters.runWith(jvp, () -> p.evaluate(in));
            Array[] results = new Array[2 * out.length];
            for (int j = 0; j < out.length; j++) {
                results[j] = jvp.primalOf(out[j]);
                results[out.length + j] = jvp.tangentOf(out[j]);
            }
            return results;
        };
    }

    /**
     * The tangent pattern of a loop body: marks in {@code nz} (one per body input) every carry (inputs
     * {@code carryIn} to {@code carryIn + m}, outputs 0 to {@code m}) whose tangent can become nonzero, iterating
     * the body's JVP to a fixed point; returns which of the body's JVP results are symbolic zeros at that point
     * (outputs, then output tangents).
     */
    static boolean[] jvpCarryFixedPoint(Program body, java.util.List<dev.solstice.core.Aval> inputAvals, boolean[] nz,
            int carryIn, int m) {
        while (true) {
            java.util.List<dev.solstice.core.Aval> avals = new ArrayList<>(inputAvals);
            for (int i = 0; i < nz.length; i++) {
                if (nz[i]) {
                    avals.add(inputAvals.get(i));
                }
            }
            boolean[][] zeros = new boolean[1][];
            CondRules.trace(jvp(body, nz), avals, zeros);
            int outs = zeros[0].length / 2;
            boolean grew = false;
            for (int j = 0; j < m; j++) {
                if (!zeros[0][outs + j] && !nz[carryIn + j]) {
                    nz[carryIn + j] = true;
                    grew = true;
                }
            }
            if (!grew) {
                return zeros[0];
            }
        }
    }

    /** Marks in {@code carries} each carry whose body output is marked in {@code outs}; whether any was new. */
    static boolean growCarries(boolean[] carries, boolean[] outs) {
        boolean grew = false;
        for (int j = 0; j < carries.length; j++) {
            grew |= outs[j] && !carries[j];
            carries[j] |= outs[j];
        }
        return grew;
    }

    /** vmap of {@code p} with its inputs batched on {@code dims}: every output carries the batch on axis 0. */
    static Function<Array[], Array[]> vmap(String op, Program p, int[] dims, int axisSize) {
        return vmapOut(op, p, dims, axisSize, o -> 0, null);
    }

    /** vmap of {@code p} with output {@code o} batched on {@code outDim.apply(o)} (or not mapped). */
    static Function<Array[], Array[]> vmapOut(String op, Program p, int[] dims, int axisSize,
            Function<Integer, Integer> outDim) {
        return vmapOut(op, p, dims, axisSize, outDim, null);
    }

    /**
     * vmap of {@code p} with output {@code o} batched on {@code outDim.apply(o)} (or not mapped), under the axis
     * name {@code axisName} ({@code null} for none).
     */
    static Function<Array[], Array[]> vmapOut(String op, Program p, int[] dims, int axisSize,
            Function<Integer, Integer> outDim, String axisName) {
        return args -> Vectorize.vmap(op, p::evaluate, args, dims, axisSize, outDim, axisName);
    }

    /**
     * Which outputs of {@code p} vary across the batch when its inputs (of {@code avals}, batched ones including
     * the batch axis) are batched on {@code dims}: traced abstractly, nothing computed.
     */
    static boolean[] batchedOutputs(Program p, java.util.List<dev.solstice.core.Aval> avals, int[] dims, int axisSize) {
        boolean[] batched = new boolean[p.outputs().size()];
        Staging.trace(args -> {
            BatchInterpreter batch = new BatchInterpreter(Interpreters.current(), axisSize, null);
            Array[] in = new Array[args.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = batch.lift(args[i], dims[i]);
            }
            Array[] out = Interpreters.runWith(batch, () -> p.evaluate(in));
            for (int j = 0; j < out.length; j++) {
                batched[j] = batch.owns(out[j]);
            }
            return new Array[0];
        }, avals.toArray(dev.solstice.core.Aval[]::new));
        return batched;
    }

    /**
     * The backward pass of {@code p}, linear in the inputs marked {@code linear}: arguments are the other (known)
     * inputs, then one cotangent per output marked {@code nonzeroCt}; results are one cotangent per linear input
     * (a symbolic {@link Zero} where nothing flowed back).
     */
    static Function<Array[], Array[]> transpose(Program p, boolean[] linear, boolean[] nonzeroCt) {
        return args -> {
            Array[] known = new Array[linear.length];
            int k = 0;
            for (int i = 0; i < linear.length; i++) {
                known[i] = linear[i] ? null : args[k++];
            }
            Array[] cts = new Array[nonzeroCt.length];
            for (int j = 0; j < cts.length; j++) {
                cts[j] = nonzeroCt[j] ? args[k++] : Zero.of(p.outputs().get(j).aval());
            }
            return Transpose.backward(forwardKnown(p, known), cts);
        };
    }

    /**
     * {@code p} with its known inputs ({@code known[i]} not null) substituted: equations that read known values
     * only are applied now (under the current interpreter), and what remains reads their results as constants.
     * The result's inputs are the linear inputs.
     */
    static Program forwardKnown(Program p, Array[] known) {
        Map<Var, Array> env = new IdentityHashMap<>();
        List<Var> inputs = new ArrayList<>();
        for (int i = 0; i < known.length; i++) {
            if (known[i] != null) {
                env.put(p.inputs().get(i), known[i]);
            } else {
                inputs.add(p.inputs().get(i));
            }
        }
        List<Eqn> rest = new ArrayList<>();
        for (Eqn e : p.eqns()) {
            Atom[] in = new Atom[e.inputs().length];
            boolean allKnown = true;
            for (int i = 0; i < in.length; i++) {
                Atom a = e.inputs()[i];
                Array v = a instanceof Var var ? env.get(var) : null;
                in[i] = v != null ? new Const(v) : a;
                allKnown &= in[i] instanceof Const;
            }
            if (allKnown && !(e.primitive() instanceof TangentOnly)) {
                Array[] values = new Array[in.length];
                for (int i = 0; i < in.length; i++) {
                    values[i] = ((Const) in[i]).value();
                }
                Array[] out = Interpreters.bind(e.primitive(), values);
                for (int i = 0; i < out.length; i++) {
                    env.put(e.outputs()[i], out[i]);
                }
            } else {
                rest.add(new Eqn(e.primitive(), in, e.outputs()));
            }
        }
        List<Atom> outputs = new ArrayList<>();
        for (Atom a : p.outputs()) {
            Array v = a instanceof Var var ? env.get(var) : null;
            outputs.add(v != null ? new Const(v) : a);
        }
        return new Program(List.copyOf(inputs), List.copyOf(rest), List.copyOf(outputs));
    }
}
