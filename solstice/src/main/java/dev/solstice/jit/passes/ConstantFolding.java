package dev.solstice.jit.passes;

import dev.solstice.core.Aval;
import dev.solstice.core.AxisCollective;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.ErrorIf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates, once, every equation whose operands are all known: constants of the program, inputs whose values are
 * fixed for this compilation (the arrays a jitted function captured), or results of equations folded before. Their
 * results become constants of the program, computed by the same eager kernels a run would use, so results stay
 * bitwise equal to evaluating the program.
 *
 * <p>Not folded: an equation whose results take more than {@link #MAX_FOLDED_BYTES} (16 MB), or would bring the
 * program's folded results past {@link #MAX_TOTAL_BYTES} (64 MB): they stay in memory as long as the executable;
 * error checks, which must fail when the program runs; collectives, which need
 * their vmap; and call primitives (custom rules), which are bound at run time. A folded result that is larger than
 * the equation's operands together (a broadcast, an iota) is not kept where an unfolded equation reads it: the
 * equation is kept there instead, on its folded operands, so that a fused kernel still reads the small operand.
 */
public final class ConstantFolding {
    /** Equations whose results are larger than this are computed at run time. */
    public static final long MAX_FOLDED_BYTES = 16L << 20;
    /** Once a program's folded results take this much, the rest is computed at run time. */
    public static final long MAX_TOTAL_BYTES = 64L << 20;

    private ConstantFolding() {}

    /**
     * {@code p} with its known equations folded into constants; the same program when none is.
     *
     * @param p a program whose constants are concrete arrays (others are left alone)
     * @param fixedInputs the values of the program's first {@code fixedInputs.length} inputs, fixed for this
     *     compilation (the inputs stay, so the program's signature does not change)
     * @return an equivalent program
     */
    public static Program run(Program p, DenseArray[] fixedInputs) {
        Map<Var, DenseArray> known = new IdentityHashMap<>();
        Set<Var> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
        inputs.addAll(p.inputs());
        for (int i = 0; i < fixedInputs.length; i++) {
            known.put(p.inputs().get(i), fixedInputs[i]);
        }
        Map<Var, Eqn> expansions = new IdentityHashMap<>(); // folded results larger than their operands
        List<Eqn> remaining = new ArrayList<>();
        long total = 0;
        for (Eqn e : p.eqns()) {
            long size = bytes(outAvals(e));
            DenseArray[] in = foldable(e) && size <= MAX_FOLDED_BYTES && total + size <= MAX_TOTAL_BYTES
                    ? values(e, known) : null;
            if (in == null) {
                remaining.add(e);
                continue;
            }
            DenseArray[] out = EvalInterpreter.evalWithAvals(e.primitive(), in, outAvals(e));
            total += size;
            boolean expands = size > bytes(in);
            for (int i = 0; i < out.length; i++) {
                known.put(e.outputs()[i], out[i]);
                if (expands) {
                    expansions.put(e.outputs()[i], new Eqn(e.primitive(), constants(in), e.outputs()));
                }
            }
        }
        if (remaining.size() == p.eqns().size()) {
            return p;
        }
        return rebuild(p, remaining, known, expansions, inputs);
    }

    private static Program rebuild(Program p, List<Eqn> remaining, Map<Var, DenseArray> known,
            Map<Var, Eqn> expansions, Set<Var> inputs) {
        List<Eqn> eqns = new ArrayList<>();
        Map<Eqn, Boolean> reemitted = new IdentityHashMap<>();
        List<Eqn> body = new ArrayList<>();
        for (Eqn e : remaining) {
            Atom[] in = e.inputs().clone();
            for (int i = 0; i < in.length; i++) {
                if (in[i] instanceof Var v && known.containsKey(v) && !inputs.contains(v)) {
                    Eqn expansion = expansions.get(v);
                    if (expansion == null) {
                        in[i] = new Const(known.get(v));
                    } else if (reemitted.put(expansion, true) == null) {
                        eqns.add(expansion); // its operands are constants: it may run first
                    }
                }
            }
            body.add(new Eqn(e.primitive(), in, e.outputs()));
        }
        eqns.addAll(body);
        List<Atom> outputs = new ArrayList<>();
        for (Atom a : p.outputs()) {
            outputs.add(a instanceof Var v && known.containsKey(v) && !inputs.contains(v)
                    ? new Const(known.get(v)) : a);
        }
        return new Program(p.inputs(), List.copyOf(eqns), List.copyOf(outputs));
    }

    private static boolean foldable(Eqn e) {
        return !(e.primitive() instanceof ErrorIf || e.primitive() instanceof CallPrimitive
                || e.primitive() instanceof AxisCollective);
    }

    /** The operands' values when all are known concrete arrays of the staged avals, else null. */
    private static DenseArray[] values(Eqn e, Map<Var, DenseArray> known) {
        DenseArray[] in = new DenseArray[e.inputs().length];
        for (int i = 0; i < in.length; i++) {
            Atom a = e.inputs()[i];
            Object v = a instanceof Const c ? (Zero.isZero(c.value()) ? null : c.value()) : known.get((Var) a);
            if (!(v instanceof DenseArray d) || !d.aval().equals(a.aval())) {
                return null;
            }
            in[i] = d;
        }
        return in;
    }

    private static Atom[] constants(DenseArray[] values) {
        Atom[] atoms = new Atom[values.length];
        for (int i = 0; i < atoms.length; i++) {
            atoms[i] = new Const(values[i]);
        }
        return atoms;
    }

    private static Aval[] outAvals(Eqn e) {
        Aval[] a = new Aval[e.outputs().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = e.outputs()[i].aval();
        }
        return a;
    }

    private static long bytes(Aval[] avals) {
        long n = 0;
        for (Aval a : avals) {
            n += (long) a.size() * (a.dtype().bits() / 8);
        }
        return n;
    }

    private static long bytes(DenseArray[] arrays) {
        Aval[] avals = new Aval[arrays.length];
        for (int i = 0; i < avals.length; i++) {
            avals[i] = arrays[i].aval();
        }
        return bytes(avals);
    }
}
