package dev.solstice.jit;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.DotGeneral;
import dev.solstice.prim.Reducer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the fused units of a program into the steps of an {@link Executable}: numbers every value with a slot
 * (inputs first, then constants, then equation results), makes an {@link EagerStep} of every eager equation
 * (a {@link MatmulStep} of a float dot_general, whose result may then live in a scratch array) and a
 * {@link KernelStep} of every group (its kernel from the cache), then plans the buffers.
 */
final class Lowering {
    private final Map<Atom, Integer> slotOf = new IdentityHashMap<>();
    private final List<Aval> slotAvals = new ArrayList<>();
    private final List<DenseArray> constants = new ArrayList<>();
    private final Map<Var, Set<Integer>> readers = new IdentityHashMap<>();
    private final Set<Var> programOutputs = Collections.newSetFromMap(new IdentityHashMap<>());
    private final KernelCache cache;
    private final boolean vector;
    private final int sharedReductionMin;
    private final boolean measuredOnly;

    /**
     * Groups of fewer elements than this keep a reduction out of their loop when its operand is materialised
     * anyway (read elsewhere too): a small array is still in the cache when the eager reduction reads it, and
     * without the reduction the group's layout may merge its runs into longer vectors. Larger groups fuse it and
     * save a pass over memory.
     */
    static final int SHARED_REDUCTION_MIN = 1 << 16;

    private Lowering(KernelCache cache, boolean vector, int sharedReductionMin, boolean measuredOnly) {
        this.cache = cache;
        this.vector = vector;
        this.sharedReductionMin = sharedReductionMin;
        this.measuredOnly = measuredOnly;
    }

    /**
     * The executable of {@code p} made of {@code units} (see {@link Fusion#fuse}); {@code vector}: whether
     * kernels that can get a Vector API loop ({@link VectorLoop#supports}).
     */
    static Executable lower(Program p, List<Fusion.Unit> units, KernelCache cache, boolean vector) {
        return lower(p, units, cache, vector, SHARED_REDUCTION_MIN, true);
    }

    /**
     * As above, keeping a reduction in a group whose operand is materialised anyway only from
     * {@code sharedReductionMin} elements on, and, when {@code measuredOnly}, only in the loops measured faster
     * than the eager reduction: vector kernels whose every fused reduction is a float32 sum along the run kept in
     * registers ({@link VectorLoop#sumsInRegisters}); scalar loops, array-held partial sums, column sums, max and
     * min measured slower or were not measured (tests pass 0 and false: every reduction that can fuse does).
     */
    static Executable lower(Program p, List<Fusion.Unit> units, KernelCache cache, boolean vector,
            int sharedReductionMin, boolean measuredOnly) {
        Lowering l = new Lowering(cache, vector, sharedReductionMin, measuredOnly);
        for (Var v : p.inputs()) {
            l.slot(v);
        }
        for (int u = 0; u < units.size(); u++) {
            for (Eqn e : eqns(units.get(u))) {
                for (Atom a : e.inputs()) {
                    l.slot(a);
                    if (a instanceof Var v) {
                        l.readers.computeIfAbsent(v, k -> new java.util.HashSet<>()).add(u);
                    }
                }
                for (Var v : e.outputs()) {
                    l.slot(v);
                }
            }
        }
        int[] outputSlots = new int[p.outputs().size()];
        Aval[] zeroOutputs = new Aval[outputSlots.length];
        for (int i = 0; i < outputSlots.length; i++) {
            Atom a = p.outputs().get(i);
            if (a instanceof Const c && Zero.isZero(c.value())) {
                outputSlots[i] = -1;
                zeroOutputs[i] = c.aval();
            } else {
                outputSlots[i] = l.slot(a);
                if (a instanceof Var v) {
                    l.programOutputs.add(v);
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            steps.addAll(switch (units.get(u)) {
                case Fusion.Eager(Eqn e) -> List.of(l.eager(e));
                case Fusion.Fused(List<Eqn> members) -> l.kernel(members, u);
            });
        }
        Aval[] avals = l.slotAvals.toArray(Aval[]::new);
        BufferPlan.Plan plan = BufferPlan.plan(steps, avals, outputSlots);
        Aval[] inputAvals = p.inputs().stream().map(Var::aval).toArray(Aval[]::new);
        return new Executable(inputAvals, l.constants.toArray(DenseArray[]::new), steps.toArray(Step[]::new),
                plan.clearAfter(), plan.scratchBuffers(), outputSlots, zeroOutputs);
    }

    private static List<Eqn> eqns(Fusion.Unit u) {
        return switch (u) {
            case Fusion.Eager(Eqn e) -> List.of(e);
            case Fusion.Fused(List<Eqn> members) -> members;
        };
    }

    private int slot(Atom a) {
        Integer s = slotOf.get(a);
        if (s != null) {
            return s;
        }
        int n = slotAvals.size();
        slotOf.put(a, n);
        slotAvals.add(a.aval());
        DenseArray value = null;
        if (a instanceof Const c) {
            value = switch (Zero.instantiate(c.value())) {
                case DenseArray d -> d;
                default -> throw new IllegalArgumentException("jit: constant " + c + " is not a concrete array"
                        + " (a tracer of an enclosing transformation); compile only closed, concrete programs");
            };
        }
        while (constants.size() < n) {
            constants.add(null);
        }
        constants.add(value);
        return n;
    }

    private int[] slots(Atom[] atoms) {
        return Arrays.stream(atoms).mapToInt(this::slot).toArray();
    }

    private Step eager(Eqn e) {
        Aval[] outAvals = Arrays.stream(e.outputs()).map(Var::aval).toArray(Aval[]::new);
        Aval[] inAvals = Arrays.stream(e.inputs()).map(Atom::aval).toArray(Aval[]::new);
        if (e.primitive() instanceof DotGeneral d && MatmulStep.applies(inAvals, outAvals)) {
            return new MatmulStep(d, slots(e.inputs()), slots(e.outputs()), inAvals, outAvals);
        }
        return new EagerStep(e.primitive(), slots(e.inputs()), slots(e.outputs()), outAvals);
    }

    /**
     * A group's steps: its kernel step, then an eager step for each reduction among its members that the kernel's
     * loop cannot compute in the eager order (those are taken out one by one until the rest fit; their operands
     * become kernel outputs).
     */
    private List<Step> kernel(List<Eqn> members, int unit) {
        List<Eqn> demoted = new ArrayList<>();
        while (true) {
            List<Step> steps = new ArrayList<>();
            Eqn bad = kernel(members, unit, demoted, steps);
            if (bad == null) {
                for (Eqn e : demoted) {
                    steps.add(eager(e));
                }
                return steps;
            }
            demoted.add(bad);
        }
    }

    /**
     * Builds the kernel step of {@code members} without the reductions in {@code demoted} into {@code steps}, or
     * returns a reduction its loop cannot compute (then adds nothing).
     */
    private Eqn kernel(List<Eqn> members, int unit, List<Eqn> demoted, List<Step> steps) {
        int[] shape = members.getFirst().outputs()[0].aval().shape();
        int[] rowMajor = Shapes.strides(shape);
        List<Eqn> elementwise = new ArrayList<>();
        List<Eqn> reductions = new ArrayList<>();
        for (Eqn e : members) {
            if (Fusible.isReduction(e) && groupSize(e) > 1) {
                if (!demoted.contains(e)) {
                    reductions.add(e);
                }
            } else {
                elementwise.add(e);
            }
        }
        Set<Var> produced = Collections.newSetFromMap(new IdentityHashMap<>());
        elementwise.forEach(e -> produced.addAll(List.of(e.outputs())));
        List<Atom> inputAtoms = new ArrayList<>();
        List<int[]> inputStrides = new ArrayList<>();
        Map<Var, Integer> valueOf = new IdentityHashMap<>();
        for (Eqn e : elementwise) {
            if (Fusible.isBroadcast(e)) {
                Atom x = e.inputs()[0];
                valueOf.put(e.outputs()[0], input(inputAtoms, inputStrides, x, broadcastStrides(e, x.aval())));
            } else {
                for (Atom a : e.inputs()) {
                    if (!(a instanceof Var v && produced.contains(v))) {
                        input(inputAtoms, inputStrides, a, rowMajor);
                    }
                }
            }
        }
        int inputs = inputAtoms.size();
        List<ElementOp> ops = new ArrayList<>();
        List<Object> primitives = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (Eqn e : members) {
            if (!demoted.contains(e)) {
                names.append(names.isEmpty() ? "" : " ").append(e.primitive().name());
            }
        }
        for (Eqn e : elementwise) {
            if (Fusible.isBroadcast(e)) {
                continue;
            }
            List<Integer> args = new ArrayList<>();
            for (Atom a : e.inputs()) {
                args.add(a instanceof Var v && produced.contains(v) ? valueOf.get(v)
                        : input(inputAtoms, inputStrides, a, rowMajor));
            }
            ElementOp op = Fusible.isReduction(e)
                    ? new ElementOp(ElementOp.Form.REDUCE_ONE, ((Reducer) e.primitive()).kind(),
                            e.inputs()[0].aval().dtype(), e.outputs()[0].aval().dtype(), args)
                    : Fusible.op(e, args);
            valueOf.put(e.outputs()[0], inputs + ops.size());
            ops.add(op);
            primitives.add(op.needsPrimitive() ? e.primitive() : null);
        }
        Set<Var> readByDemoted = Collections.newSetFromMap(new IdentityHashMap<>());
        demoted.forEach(e -> readByDemoted.add((Var) e.inputs()[0]));
        List<Integer> outputs = new ArrayList<>();
        List<Var> outVars = new ArrayList<>();
        for (Eqn e : elementwise) {
            Var v = e.outputs()[0];
            if (programOutputs.contains(v) || readByDemoted.contains(v)
                    || readers.getOrDefault(v, Set.of()).stream().anyMatch(r -> r != unit)) {
                outputs.add(valueOf.get(v));
                outVars.add(v);
            }
        }
        int elementOutputs = outputs.size();
        for (Eqn e : reductions) {
            if (Shapes.size(shape) < sharedReductionMin && outVars.contains((Var) e.inputs()[0])) {
                return e; // its operand is written anyway: the eager reduction reads it from the cache
            }
        }
        int[][] strides = new int[inputs + elementOutputs + reductions.size()][];
        for (int k = 0; k < inputs + elementOutputs; k++) {
            strides[k] = k < inputs ? inputStrides.get(k) : rowMajor;
        }
        for (int j = 0; j < reductions.size(); j++) {
            strides[inputs + elementOutputs + j] = reducedStrides(reductions.get(j));
            outVars.add(reductions.get(j).outputs()[0]);
        }
        Layout layout = Layout.of(shape, strides);
        List<KernelSpec.Reduce> reduces = new ArrayList<>();
        for (int j = 0; j < reductions.size(); j++) {
            Eqn e = reductions.get(j);
            int k = inputs + elementOutputs + j;
            boolean row = layout.innerStrides()[k] == 0 && Arrays.stream(layout.outerStrides()[k]).allMatch(x -> x != 0);
            boolean column = layout.innerStrides()[k] == 1 && layout.outer().length > 0
                    && Arrays.stream(layout.outerStrides()[k]).allMatch(x -> x == 0);
            if (Shapes.size(shape) == 0 || !row && !column) {
                return e;
            }
            reduces.add(new KernelSpec.Reduce(((Reducer) e.primitive()).kind(), e.inputs()[0].aval().dtype(),
                    valueOf.get((Var) e.inputs()[0]), row));
        }
        List<KernelSpec.Input> specInputs = new ArrayList<>();
        for (int k = 0; k < inputs; k++) {
            specInputs.add(new KernelSpec.Input(inputAtoms.get(k).aval().dtype(), layout.innerStrides()[k] == 0));
        }
        KernelSpec scalar = new KernelSpec(List.copyOf(specInputs), List.copyOf(ops), List.copyOf(outputs),
                List.copyOf(reduces), false);
        KernelSpec spec = vector && VectorLoop.supports(scalar) ? new KernelSpec(scalar.inputs(), scalar.ops(),
                scalar.outputs(), scalar.reductions(), true) : scalar;
        if (measuredOnly && !reductions.isEmpty()
                && !(spec.vector() && spec.reductions().stream().allMatch(VectorLoop::sumsInRegisters))) {
            return reductions.getFirst();
        }
        steps.add(new KernelStep(cache.get(spec), spec, names.toString(), primitives.toArray(),
                slots(inputAtoms.toArray(Atom[]::new)), slots(outVars.toArray(Atom[]::new)),
                outVars.stream().map(Var::aval).toArray(Aval[]::new), layout));
        return null;
    }

    /** The number of operand elements each result element of reduction {@code e} combines. */
    private static int groupSize(Eqn e) {
        Aval x = e.inputs()[0].aval();
        int g = 1;
        for (int a : Shapes.axes(e.primitive(), ((Reducer) e.primitive()).axes(), x.rank())) {
            g *= x.dim(a);
        }
        return g;
    }

    /** The strides, over its operand's shape, at which reduction {@code e} writes its result: 0 along reduced axes. */
    private static int[] reducedStrides(Eqn e) {
        Aval x = e.inputs()[0].aval();
        int[] axes = Shapes.axes(e.primitive(), ((Reducer) e.primitive()).axes(), x.rank());
        int[] own = Shapes.strides(e.outputs()[0].aval().shape());
        int[] s = new int[x.rank()];
        for (int a = 0, kept = 0; a < x.rank(); a++) {
            s[a] = Arrays.binarySearch(axes, a) >= 0 ? 0 : own[kept++];
        }
        return s;
    }

    /** The input number of {@code a} read with {@code strides}, added when new. */
    private static int input(List<Atom> atoms, List<int[]> strides, Atom a, int[] s) {
        for (int k = 0; k < atoms.size(); k++) {
            if (atoms.get(k) == a && Arrays.equals(strides.get(k), s)) {
                return k;
            }
        }
        atoms.add(a);
        strides.add(s);
        return atoms.size() - 1;
    }

    /** The strides, over the broadcast's result shape, of reading its contiguous operand in place. */
    private static int[] broadcastStrides(Eqn e, Aval x) {
        BroadcastInDim b = (BroadcastInDim) e.primitive();
        int[] own = Shapes.strides(x.shape());
        int[] s = new int[e.outputs()[0].aval().rank()];
        int[] dims = b.broadcastDimensions();
        for (int i = 0; i < dims.length; i++) {
            s[dims[i]] = x.dim(i) == 1 ? 0 : own[i];
        }
        return s;
    }
}
