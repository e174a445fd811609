package dev.solstice.transform;

import dev.solstice.ir.Atom;
import dev.solstice.ir.ByIdentity;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A program's structure up to the names of its variables, as a hash key: two programs with equal structures compute
 * the same function. The structure lists the input avals, then for each equation its primitive (compared with the
 * primitive's own {@code equals}: equal parameters, nested programs by identity), its operands (the position of the
 * variable that defines them, or a constant by identity) and its output avals, then the outputs. Every count comes
 * before its items, so equal lists parse the same way.
 *
 * @param tokens the structure, flattened
 * @param hash the tokens' hash, computed once (a key is hashed on every lookup)
 */
record ProgramStructure(List<Object> tokens, int hash) {

    /** The structure of {@code p}. */
    static ProgramStructure of(Program p) {
        Map<Var, Integer> position = new IdentityHashMap<>();
        List<Object> t = new ArrayList<>();
        t.add(p.inputs().size());
        for (Var v : p.inputs()) {
            position.put(v, position.size());
            t.add(v.aval());
        }
        t.add(p.eqns().size());
        for (Eqn e : p.eqns()) {
            t.add(e.primitive());
            t.add(e.inputs().length);
            for (Atom a : e.inputs()) {
                t.add(token(position, a));
            }
            t.add(e.outputs().length);
            for (Var v : e.outputs()) {
                position.put(v, position.size());
                t.add(v.aval());
            }
        }
        t.add(p.outputs().size());
        for (Atom a : p.outputs()) {
            t.add(token(position, a));
        }
        return new ProgramStructure(t, t.hashCode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramStructure s && s.hash == hash && s.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** A variable by the position that defines it; a constant (or a free variable, in a malformed program) by identity. */
    private static Object token(Map<Var, Integer> position, Atom a) {
        if (a instanceof Var v) {
            Integer at = position.get(v);
            return at != null ? at : new ByIdentity<>(v);
        }
        return new ByIdentity<>(((Const) a).value());
    }
}
