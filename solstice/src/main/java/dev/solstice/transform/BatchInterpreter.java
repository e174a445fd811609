package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.AxisCollective;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.prim.BatchRules;

/**
 * Batching (vmap). Each vmap has its own tag: the {@link BatchTracer}s of interpreters with that tag carry its
 * batch axis; every other value is the same for all examples. Primitives are applied through their batching
 * rules, with the parent interpreter installed, so batched computations can themselves be differentiated or
 * batched again. The same vmap can be entered again under another parent ({@link #reenter}), as JAX's batch
 * subtraces are: a custom rule vectorised here runs later, under whatever differentiates the rebuilt call,
 * and the values it closed over that this vmap batched must still be understood there.
 */
final class BatchInterpreter implements Interpreter {
    private final Interpreter parent;
    private final Interpreters.Scope parentScope;
    private final int axisSize;
    private final String axisName;
    private final Object tag;

    BatchInterpreter(Interpreter parent, int axisSize, String axisName) {
        this(parent, axisSize, axisName, new Object());
    }

    private BatchInterpreter(Interpreter parent, int axisSize, String axisName, Object tag) {
        this.parent = parent;
        this.parentScope = Interpreters.scope(parent);
        this.axisSize = axisSize;
        this.axisName = axisName;
        this.tag = tag;
    }

    /** This vmap entered again with {@code newParent} below it: it owns this one's tracers, and they own its. */
    BatchInterpreter reenter(Interpreter newParent) {
        return new BatchInterpreter(newParent, axisSize, axisName, tag);
    }

    int axisSize() {
        return axisSize;
    }

    /** A batched value owned by this interpreter, or the value itself when it is not batched. */
    Array lift(Array val, int dim) {
        return dim == Batched.NOT_BATCHED ? val : new BatchTracer(this, val, dim);
    }

    Object tag() {
        return tag;
    }

    boolean owns(Array x) {
        return x instanceof BatchTracer t && t.tag() == tag;
    }

    @Override
    public Array[] process(Primitive p, Array[] args) {
        boolean any = false;
        for (Array a : args) {
            any |= owns(a);
        }
        boolean mine = axisName != null && p.usesAxisName(axisName);
        if (!any && !mine) {
            // the same for every example; a custom call's rules still run under this vmap (see unbatched)
            Primitive q = CustomCallBatching.handles(p) ? CustomCallBatching.unbatched(this, p) : p;
            return Interpreters.delegate(parent, q, args);
        }
        Array[] vals = new Array[args.length];
        int[] dims = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            if (owns(args[i])) {
                BatchTracer t = (BatchTracer) args[i];
                vals[i] = t.val;
                dims[i] = t.dim;
            } else {
                vals[i] = args[i];
                dims[i] = Batched.NOT_BATCHED;
            }
        }
        Batched r = parentScope.run(() -> batch(p, vals, dims, mine));
        Array[] out = new Array[r.outs().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = lift(r.outs()[i], r.dims()[i]);
        }
        return out;
    }

    /**
     * The batched application, run under the parent: a collective over this axis (or a call of a program with
     * one inside, batched under this axis's name), a call carrying user
     * functions (vectorised here, as JAX's batch trace processes custom_jvp_call), the primitive's own
     * rule, or, for a primitive without one, the primitive applied to one example at a time.
     */
    private Batched batch(Primitive p, Array[] vals, int[] dims, boolean mine) {
        if (mine) {
            if (p instanceof AxisCollective c) {
                return c.acrossAxis(vals[0], dims[0], axisSize);
            }
            if (p instanceof NamedAxisBatching n) {
                return n.batchNamed(vals, dims, axisSize, axisName);
            }
            throw new IllegalStateException(p.name() + " acts across the vmap axis '" + axisName + "' but has no"
                    + " batching rule for a named axis (a bug in the primitive)");
        }
        if (CustomCallBatching.handles(p)) {
            return CustomCallBatching.batch(this, p, vals, dims);
        }
        Batched r = p.batch(vals, dims, axisSize);
        return r == Primitive.NO_BATCH_RULE ? BatchRules.byLoop(p, vals, dims, axisSize) : r;
    }
}
