package dev.solstice.jit;

import dev.solstice.ir.Atom;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups connected elementwise equations of one iteration shape into fused units, in program order. An
 * equation joins (and merges) the open groups that produce its operands; a group is sealed, and takes no
 * more members, as soon as anything outside it reads one of its values. A group then runs where its last
 * member stood: everything it reads was computed earlier and nothing outside it read its values before, so
 * the order stays valid without cycle checks and nothing is recomputed. A broadcast_in_dim starts a group of
 * its own (it is a strided read of its operand, which is never a member of the same group). A reduction (sum,
 * max, min of float32 or float64) joins the open group that produced its operand: its result has another shape,
 * so no later member reads it, and reading it from outside seals the group like any other value. Whether the
 * kernel's loop can combine its elements in the eager kernels' order is decided when lowering ({@link Lowering}
 * leaves the others to the eager kernels, right after the kernel).
 */
final class Fusion {
    /** The most members of one group (keeps generated methods far below the JVM's size limits). */
    static final int MAX_MEMBERS = 64;
    /** The most arrays (inputs plus possible outputs) of one group. */
    static final int MAX_ARRAYS = 60;
    /**
     * Whether a reduction joins the group that produces its operand in production compilations: system property
     * {@code solstice.jit.fuseReductions}, on unless set false (a switch for paired benchmarks; read at each
     * compilation). {@link Lowering} then keeps it in the loop only where that measured faster (float32 sums along
     * the run in a vector kernel).
     */
    static volatile boolean fuseReductions = !"false".equals(System.getProperty("solstice.jit.fuseReductions"));

    private Fusion() {}

    /** A unit of the fused program: one equation evaluated by its primitive, or a fused group. */
    sealed interface Unit permits Eager, Fused {}

    /**
     * An equation evaluated through its primitive's own kernels.
     *
     * @param eqn the equation
     */
    record Eager(Eqn eqn) implements Unit {}

    /**
     * A fused group.
     *
     * @param members its equations, in program order
     */
    record Fused(List<Eqn> members) implements Unit {}

    /** A group being built. */
    private static final class Group {
        final List<Integer> members = new ArrayList<>();
        final int[] shape;
        final Set<Var> produced = Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<Atom> external = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean sealed;

        Group(int[] shape) {
            this.shape = shape;
        }
    }

    /**
     * The units of {@code p}, in an order that respects every dependency; groups of fewer than
     * {@code minMembers} members are left to the eager kernels (a lone select excepted, see {@link #worthAlone}).
     */
    static List<Unit> fuse(Program p, int minMembers) {
        return fuse(p, minMembers, fuseReductions);
    }

    /** As above; {@code reductions}: whether reductions join their producers' groups. */
    static List<Unit> fuse(Program p, int minMembers, boolean reductions) {
        List<Eqn> eqns = p.eqns();
        Map<Var, Group> groupOf = new IdentityHashMap<>();
        Group[] memberOf = new Group[eqns.size()];
        for (int i = 0; i < eqns.size(); i++) {
            Eqn e = eqns.get(i);
            if (Fusible.isReduction(e) && reductions && joinProducer(e, i, groupOf, memberOf)) {
                continue;
            }
            if (!Fusible.fusible(e)) {
                sealInputs(e, groupOf);
                continue;
            }
            int[] shape = e.outputs()[0].aval().shape();
            List<Group> candidates = new ArrayList<>();
            if (!Fusible.isBroadcast(e)) {
                for (Atom a : e.inputs()) {
                    Group g = a instanceof Var v ? groupOf.get(v) : null;
                    if (g != null && !g.sealed && Arrays.equals(g.shape, shape) && !candidates.contains(g)) {
                        candidates.add(g);
                    }
                }
            }
            Group target = fits(candidates, e) ? merge(candidates, shape, groupOf, memberOf) : new Group(shape);
            sealInputs(e, groupOf, target);
            target.members.add(i);
            memberOf[i] = target;
            for (Atom a : e.inputs()) {
                if (!(a instanceof Var v && target.produced.contains(v))) {
                    target.external.add(a);
                }
            }
            for (Var v : e.outputs()) {
                target.produced.add(v);
                groupOf.put(v, target);
            }
        }
        return order(p, memberOf, minMembers);
    }

    /**
     * Adds reduction {@code e} (equation {@code i}) to the open group that produced its operand, if any and if it
     * fits; the reduction's result then belongs to the group, so that reading it from outside seals the group.
     * Its result has another shape than the group's, so no later member can read it (except a reduction over no
     * axes, which is computed element for element).
     */
    private static boolean joinProducer(Eqn e, int i, Map<Var, Group> groupOf, Group[] memberOf) {
        Group g = e.inputs()[0] instanceof Var v ? groupOf.get(v) : null;
        if (g == null || g.sealed || !Arrays.equals(g.shape, e.inputs()[0].aval().shape())
                || g.members.size() + 1 > MAX_MEMBERS || g.members.size() + 1 + g.external.size() > MAX_ARRAYS) {
            return false;
        }
        g.members.add(i);
        memberOf[i] = g;
        g.produced.add(e.outputs()[0]);
        groupOf.put(e.outputs()[0], g);
        return true;
    }

    /** Whether the candidates and {@code e} together stay within the size limits. */
    private static boolean fits(List<Group> candidates, Eqn e) {
        if (candidates.isEmpty()) {
            return false;
        }
        int members = 1;
        int external = e.inputs().length;
        for (Group g : candidates) {
            members += g.members.size();
            external += g.external.size();
        }
        return members <= MAX_MEMBERS && members + external <= MAX_ARRAYS;
    }

    private static Group merge(List<Group> candidates, int[] shape, Map<Var, Group> groupOf, Group[] memberOf) {
        Group into = candidates.get(0);
        for (Group g : candidates.subList(1, candidates.size())) {
            into.members.addAll(g.members);
            for (int m : g.members) {
                memberOf[m] = into;
            }
            for (Var v : g.produced) {
                into.produced.add(v);
                groupOf.put(v, into);
            }
            into.external.addAll(g.external);
        }
        into.external.removeIf(a -> a instanceof Var v && into.produced.contains(v));
        into.members.sort(Comparator.naturalOrder());
        return into;
    }

    /** Seals every group whose value {@code e} reads, except {@code reader} (the group {@code e} joins). */
    private static void sealInputs(Eqn e, Map<Var, Group> groupOf, Group... reader) {
        for (Atom a : e.inputs()) {
            Group g = a instanceof Var v ? groupOf.get(v) : null;
            if (g != null && (reader.length == 0 || g != reader[0])) {
                g.sealed = true;
            }
        }
    }

    /**
     * Whether a group of the single equation {@code e} is still worth a kernel: a select, whose eager kernel
     * allocates its result each time (a kernel's may live in a scratch buffer) and walks views row by row; and
     * an operation on a dot_general's result that is not itself a program output (the sum of two products in a
     * backward pass), whose kernel may write over that product's buffer where the eager kernel allocates.
     */
    private static boolean worthAlone(Eqn e, Set<Var> products, Set<Atom> outputs) {
        if (e.primitive() instanceof dev.solstice.prim.Select) {
            return true;
        }
        boolean readsProduct = false;
        for (Atom a : e.inputs()) {
            readsProduct |= a instanceof Var v && products.contains(v);
        }
        return readsProduct && !Fusible.isBroadcast(e) && !outputs.contains(e.outputs()[0]);
    }

    /** Eager equations where they stood, each group where its last member stood. */
    private static List<Unit> order(Program p, Group[] memberOf, int minMembers) {
        List<Eqn> eqns = p.eqns();
        Set<Var> products = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Eqn e : eqns) {
            if (e.primitive() instanceof dev.solstice.prim.DotGeneral) {
                products.addAll(Arrays.asList(e.outputs()));
            }
        }
        Set<Atom> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        outputs.addAll(p.outputs());
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < eqns.size(); i++) {
            Group g = memberOf[i];
            if (g == null || g.members.size() < minMembers
                    && !worthAlone(eqns.get(g.members.getFirst()), products, outputs)) {
                units.add(new Eager(eqns.get(i)));
            } else if (g.members.getLast() == i) {
                units.add(new Fused(g.members.stream().map(eqns::get).toList()));
            }
        }
        return units;
    }
}
