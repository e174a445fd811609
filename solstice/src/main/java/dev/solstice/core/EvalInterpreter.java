package dev.solstice.core;

import dev.solstice.Array;

/** The bottom interpreter: evaluates primitives on concrete arrays through the kernels. */
public final class EvalInterpreter implements Interpreter {
    /** The single instance. */
    public static final EvalInterpreter INSTANCE = new EvalInterpreter();

    private EvalInterpreter() {}

    @Override
    public Array[] process(Primitive p, Array[] args) {
        if (p instanceof CallPrimitive call) {
            return call.inline(args);
        }
        DenseArray[] in = new DenseArray[args.length];
        for (int i = 0; i < args.length; i++) {
            if (!(args[i] instanceof DenseArray d)) {
                throw new IllegalStateException(p.name() + ": argument " + i + " is a tracer of a transformation"
                        + " that has already returned (" + args[i].aval().str() + "). A traced value escaped"
                        + " its transformation, for example through a field or a list kept after the call;"
                        + " return it from the transformed function instead.");
            }
            in[i] = d;
        }
        return evalDense(p, in);
    }

    /** Runs the shape rule and evaluates {@code p} (not a call primitive) on concrete inputs. */
    static DenseArray[] evalDense(Primitive p, DenseArray[] in) {
        Aval[] avals = new Aval[in.length];
        for (int i = 0; i < in.length; i++) {
            avals[i] = in[i].aval();
        }
        return evalWithAvals(p, in, p.shapeRule(avals));
    }

    /**
     * Evaluates {@code p} on concrete inputs whose output avals are already known, without running the shape
     * rule: for a staged equation evaluated on inputs of the avals it was staged with ({@code ir.Program}).
     */
    public static DenseArray[] evalWithAvals(Primitive p, DenseArray[] in, Aval[] outAvals) {
        DenseArray[] out = !p.evaluatesNarrowTypes() && anyNarrow(in, outAvals) ? evalWidened(p, in, outAvals)
                : p.eval(in, outAvals);
        if (out.length != outAvals.length) {
            throw new IllegalStateException(p.name() + ": evaluation gave " + out.length + " outputs but the shape rule"
                    + " says " + outAvals.length + " (a bug in the primitive)");
        }
        for (int i = 0; i < out.length; i++) {
            if (!out[i].aval().equals(outAvals[i])) {
                throw new IllegalStateException(p.name() + ": evaluation gave " + out[i].aval().str()
                        + " but the shape rule says " + outAvals[i].str() + " (a bug in the primitive)");
            }
        }
        return out;
    }

    private static boolean anyNarrow(DenseArray[] in, Aval[] outAvals) {
        for (DenseArray d : in) {
            if (d.dtype().isStoredNarrow()) {
                return true;
            }
        }
        for (Aval a : outAvals) {
            if (a.dtype().isStoredNarrow()) {
                return true;
            }
        }
        return false;
    }

    /** Evaluates in the compute types and narrows the results (see {@link Primitive#evaluatesNarrowTypes()}). */
    private static DenseArray[] evalWidened(Primitive p, DenseArray[] in, Aval[] outAvals) {
        DenseArray[] wide = new DenseArray[in.length];
        for (int i = 0; i < in.length; i++) {
            wide[i] = NarrowTypes.widen(in[i]);
        }
        Aval[] wideAvals = new Aval[outAvals.length];
        for (int i = 0; i < outAvals.length; i++) {
            wideAvals[i] = outAvals[i].withDType(outAvals[i].dtype().computeType());
        }
        DenseArray[] out = p.eval(wide, wideAvals);
        for (int i = 0; i < out.length && i < outAvals.length; i++) {
            out[i] = NarrowTypes.narrow(out[i], outAvals[i].dtype());
        }
        return out;
    }
}
