package dev.solstice.transform;

import dev.solstice.core.Primitive;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces every call whose function is itself a staged program (a nested {@code jit_call}, a custom-rule call)
 * by that program's equations, recursively, before a program is compiled for evaluation: evaluation needs no
 * rule, and the compiler can then fuse across what were call boundaries (relu's custom JVP rule would otherwise
 * hide its {@code max} from the elementwise chain around it). Each call operand is, in order, an input of its
 * program (captured values first), so inlining is a renaming.
 */
final class CallInlining {
    private CallInlining() {}

    /** {@code p} with its calls inlined; {@code p} itself when it has none. */
    static Program inline(Program p) {
        if (p.eqns().stream().noneMatch(e -> callee(e.primitive()) != null)) {
            return p;
        }
        return new CallInlining.Builder(p).build();
    }

    /** The program a call runs, or null for any other primitive. */
    private static Program callee(Primitive p) {
        return switch (p) {
            case JitCall c -> c.program();
            case CustomJvpCall c -> c.program();
            case CustomVjpCall c -> c.program();
            default -> null;
        };
    }

    private static final class Builder {
        private final Program outer;
        private final List<Eqn> eqns = new ArrayList<>();
        private final Map<Var, Atom> renamed = new IdentityHashMap<>();
        private int nextId;

        Builder(Program outer) {
            this.outer = outer;
            for (Var v : outer.inputs()) {
                nextId = Math.max(nextId, v.id() + 1);
            }
            for (Eqn e : outer.eqns()) {
                for (Var v : e.outputs()) {
                    nextId = Math.max(nextId, v.id() + 1);
                }
            }
        }

        Program build() {
            for (Eqn e : outer.eqns()) {
                Atom[] in = resolve(renamed, e.inputs());
                Program callee = callee(e.primitive());
                if (callee == null) {
                    eqns.add(new Eqn(e.primitive(), in, e.outputs()));
                    continue;
                }
                Atom[] results = splice(inline(callee), in);
                for (int k = 0; k < results.length; k++) {
                    renamed.put(e.outputs()[k], results[k]);
                }
            }
            List<Atom> outputs = List.of(resolve(renamed, outer.outputs().toArray(Atom[]::new)));
            return new Program(outer.inputs(), List.copyOf(eqns), outputs);
        }

        /** Appends {@code callee}'s equations with fresh variables, its inputs bound to {@code operands}. */
        private Atom[] splice(Program callee, Atom[] operands) {
            Map<Var, Atom> env = new IdentityHashMap<>();
            for (int i = 0; i < operands.length; i++) {
                env.put(callee.inputs().get(i), operands[i]);
            }
            for (Eqn e : callee.eqns()) {
                Var[] outs = new Var[e.outputs().length];
                for (int k = 0; k < outs.length; k++) {
                    outs[k] = new Var(e.outputs()[k].aval(), nextId++);
                    env.put(e.outputs()[k], outs[k]);
                }
                eqns.add(new Eqn(e.primitive(), resolve(env, e.inputs()), outs));
            }
            return resolve(env, callee.outputs().toArray(Atom[]::new));
        }

        /**
         * The atoms standing for {@code atoms} after renaming. A symbolic zero output of a callee (a linear
         * program's output that does not depend on its inputs) becomes real zeros, since it may now feed an
         * equation.
         */
        private static Atom[] resolve(Map<Var, Atom> env, Atom[] atoms) {
            Atom[] r = new Atom[atoms.length];
            for (int i = 0; i < atoms.length; i++) {
                Atom a = atoms[i] instanceof Var v ? env.getOrDefault(v, v) : atoms[i];
                r[i] = a instanceof Const c && Zero.isZero(c.value()) ? new Const(Zero.instantiate(c.value())) : a;
            }
            return r;
        }
    }
}
