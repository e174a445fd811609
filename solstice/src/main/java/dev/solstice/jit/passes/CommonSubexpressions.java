package dev.solstice.jit.passes;

import dev.solstice.core.Primitive;
import dev.solstice.ir.Atom;
import dev.solstice.ir.ByIdentity;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Common subexpression elimination by value numbering: an equation applying an equal primitive (record
 * equality, so equal parameters) to the same operands (the same variables, the same constant objects) as an
 * earlier one is dropped and its outputs read the earlier outputs. Exact: primitives are pure functions of
 * their parameters and operands.
 */
public final class CommonSubexpressions {
    private CommonSubexpressions() {}

    /** An equation's value number: its primitive and its operands by identity. */
    private record Key(Primitive primitive, List<Object> operands) {}

    /**
     * The program with repeated computations removed (the same program when there are none).
     *
     * @param p the program
     * @return an equivalent program without repeated equations
     */
    public static Program run(Program p) {
        Map<Var, Atom> replaced = new IdentityHashMap<>();
        Map<Key, Var[]> seen = new HashMap<>();
        List<Eqn> kept = new ArrayList<>();
        for (Eqn e : p.eqns()) {
            Atom[] in = new Atom[e.inputs().length];
            List<Object> operands = new ArrayList<>(in.length);
            for (int i = 0; i < in.length; i++) {
                in[i] = resolve(replaced, e.inputs()[i]);
                operands.add(new ByIdentity<>(in[i])); // the same variable or constant object
            }
            Var[] earlier = seen.putIfAbsent(new Key(e.primitive(), operands), e.outputs());
            if (earlier != null && sameAvals(earlier, e.outputs())) {
                for (int i = 0; i < earlier.length; i++) {
                    replaced.put(e.outputs()[i], earlier[i]);
                }
            } else {
                kept.add(changed(in, e.inputs()) ? new Eqn(e.primitive(), in, e.outputs()) : e);
            }
        }
        if (replaced.isEmpty()) {
            return p;
        }
        List<Atom> outputs = p.outputs().stream().map(a -> resolve(replaced, a)).toList();
        return new Program(p.inputs(), kept, outputs);
    }

    private static Atom resolve(Map<Var, Atom> replaced, Atom a) {
        Atom r = a instanceof Var v ? replaced.get(v) : null;
        return r == null ? a : r;
    }

    private static boolean sameAvals(Var[] a, Var[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].aval().equals(b[i].aval())) {
                return false;
            }
        }
        return true;
    }

    private static boolean changed(Atom[] now, Atom[] before) {
        for (int i = 0; i < now.length; i++) {
            if (now[i] != before[i]) {
                return true;
            }
        }
        return false;
    }
}
