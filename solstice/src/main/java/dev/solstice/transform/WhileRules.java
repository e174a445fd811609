package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Zero;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The rules of {@link While}: a while of derived programs ({@link ProgramTransforms}), memoised per while and variant
 * ({@link ControlFlowCache}).
 */
final class WhileRules {
    private WhileRules() {}

    /**
     * Binds a while of closed programs: the predicate takes (its captures, {@code condConsts}, carries), the body
     * (its captures, {@code bodyConsts}, carries).
     */
    static Array[] bind(ClosedProgram cond, ClosedProgram body, List<Array> condConsts, List<Array> bodyConsts,
            List<Array> carries) {
        List<Array> ops = new ArrayList<>(cond.consts());
        ops.addAll(condConsts);
        ops.addAll(body.consts());
        ops.addAll(bodyConsts);
        ops.addAll(carries);
        While w = new While(cond.program(), body.program(), cond.consts().size() + condConsts.size(),
                body.consts().size() + bodyConsts.size());
        return Interpreters.bind(w, ops.toArray(Array[]::new));
    }

    // ---- JVP ------------------------------------------------------------------------------------------------

    /**
     * A while whose carries are the primal carries and the tangents of those carries that can become nonzero
     * (found by iterating the body's JVP to a fixed point), its body the body's JVP.
     */
    static Array[][] jvp(While w, Array[] primals, Array[] tangents) {
        int nc = w.condConsts();
        int nb = w.bodyConsts();
        int m = w.numCarries();
        boolean[] nonzero = new boolean[nb + m]; // body captures, then carries
        for (int i = 0; i < nb + m; i++) {
            nonzero[i] = !Zero.isZero(tangents[nc + i]);
        }
        List<Object> variant = List.of(ControlFlowCache.mask(nonzero), CondRules.avals(List.of(primals)));
        Derived d = ControlFlowCache.derived(w, "jvp", variant, () -> traceJvp(w, primals, nonzero),
                Derived::reusable);
        boolean[] nz = d.mask();
        List<Array> cc = List.of(primals).subList(0, nc);
        List<Array> bc = List.of(primals).subList(nc, nc + nb);
        List<Array> carry = List.of(primals).subList(nc + nb, nc + nb + m);
        List<Array> newBodyConsts = new ArrayList<>(bc);
        List<Array> newCarries = new ArrayList<>(carry);
        for (int i = 0; i < nb + m; i++) {
            if (nz[i]) {
                (i < nb ? newBodyConsts : newCarries).add(Zero.instantiate(tangents[nc + i]));
            }
        }
        Array[] r = bind(d.cond(), d.body(), cc, newBodyConsts, newCarries);
        Array[] outs = Arrays.copyOf(r, m);
        Array[] outT = new Array[m];
        int k = m;
        for (int j = 0; j < m; j++) {
            outT[j] = nz[nb + j] ? r[k++] : Zero.of(outs[j].aval());
        }
        return new Array[][] {outs, outT};
    }

    /**
     * Derived programs of a while, memoised per while, rule and variant.
     *
     * @param cond the derived predicate, closed
     * @param body the derived body, closed
     * @param mask JVP: which tangents of (body captures, carries) the loop carries; batching: which carries are batched
     */
    private record Derived(ClosedProgram cond, ClosedProgram body, boolean[] mask) {
        boolean reusable() {
            return ControlFlowCache.noTracers(List.of(cond, body));
        }
    }

    /** The JVP predicate and body for the nonzero tangents {@code nonzero}, the carry tangents to a fixed point. */
    private static Derived traceJvp(While w, Array[] primals, boolean[] nonzero) {
        int nc = w.condConsts();
        int nb = w.bodyConsts();
        int m = w.numCarries();
        boolean[] nz = nonzero.clone();
        List<Aval> bodyAvals = CondRules.avals(List.of(primals).subList(nc, nc + nb + m));
        ProgramTransforms.jvpCarryFixedPoint(w.body(), bodyAvals, nz, nb, m);
        List<Aval> tangentAvals = new ArrayList<>(); // of the body captures, then of the carries
        List<Aval> carryAvals = new ArrayList<>(bodyAvals.subList(nb, nb + m));
        for (int i = 0; i < nb + m; i++) {
            if (nz[i]) {
                (i < nb ? tangentAvals : carryAvals).add(bodyAvals.get(i));
            }
        }
        int nbT = tangentAvals.size();
        List<Aval> condAvals = CondRules.avals(List.of(primals).subList(0, nc));
        condAvals.addAll(carryAvals);
        ClosedProgram cond = CondRules.trace(args -> w.cond().evaluate(Arrays.copyOf(args, nc + m)), condAvals, null);
        List<Aval> avals = new ArrayList<>(bodyAvals.subList(0, nb));
        avals.addAll(tangentAvals);
        avals.addAll(carryAvals);
        Function<Array[], Array[]> jvp = ProgramTransforms.jvp(w.body(), nz);
        ClosedProgram body = CondRules.trace(args -> {
            // (captures, their tangents, carries, their tangents) -> the JVP program's (captures, carries, tangents)
            List<Array> in = new ArrayList<>(List.of(args).subList(0, nb));
            in.addAll(List.of(args).subList(nb + nbT, nb + nbT + m));
            in.addAll(List.of(args).subList(nb, nb + nbT));
            in.addAll(List.of(args).subList(nb + nbT + m, args.length));
            Array[] r = jvp.apply(in.toArray(Array[]::new));
            List<Array> out = new ArrayList<>(List.of(r).subList(0, m));
            for (int j = 0; j < m; j++) {
                if (nz[nb + j]) {
                    out.add(r[m + j]);
                }
            }
            return out.toArray(Array[]::new);
        }, avals, null);
        return new Derived(cond, body, nz);
    }

    // ---- batching -------------------------------------------------------------------------------------------

    /**
     * vmap of a while. Carries that can vary across the batch (fixed point of the body) carry it on axis 0. With a
     * batched predicate every carry is batched, the loop runs while any example's predicate holds, and the body
     * keeps an example's carry unchanged once its predicate fails.
     */
    static Batched batch(While w, Array[] vals, int[] dims, int axisSize, String axisName) {
        int nc = w.condConsts();
        int nb = w.bodyConsts();
        int m = w.numCarries();
        List<Object> variant = ControlFlowCache.batchVariant(vals, dims, axisSize, axisName);
        Derived d = ControlFlowCache.derived(w, "batch", variant, () -> traceBatch(w, vals, dims, axisSize, axisName),
                Derived::reusable);
        boolean[] carryB = d.mask();
        List<Array> carries = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            Array c = vals[nc + nb + j];
            carries.add(carryB[j] ? toFront(c, dims[nc + nb + j], axisSize) : c);
        }
        List<Array> cc = List.of(vals).subList(0, nc);
        List<Array> bodyConsts = List.of(vals).subList(0, nc + nb); // the body reads the predicate's captures too
        Array[] outs = bind(d.cond(), d.body(), cc, bodyConsts, carries);
        int[] outDims = new int[m];
        for (int j = 0; j < m; j++) {
            outDims[j] = carryB[j] ? 0 : Batched.NOT_BATCHED;
        }
        return new Batched(outs, outDims);
    }

    /** The vmapped predicate and body for operands batched on {@code dims}, batched carries on axis 0. */
    private static Derived traceBatch(While w, Array[] vals, int[] dims, int axisSize, String axisName) {
        int nc = w.condConsts();
        int nb = w.bodyConsts();
        int m = w.numCarries();
        boolean[] carryB = new boolean[m];
        for (int j = 0; j < m; j++) {
            carryB[j] = dims[nc + nb + j] != Batched.NOT_BATCHED;
        }
        Array[] bodyVals = Arrays.copyOfRange(vals, nc, vals.length);
        int[] origBodyDims = Arrays.copyOfRange(dims, nc, dims.length);
        while (true) {
            boolean[] out = ProgramTransforms.batchedOutputs(w.body(), avals(bodyVals, origBodyDims, 0, nb, carryB,
                    axisSize), inDims(origBodyDims, 0, nb, carryB), axisSize);
            if (!ProgramTransforms.growCarries(carryB, out)) {
                break;
            }
        }
        Array[] condVals = new Array[nc + m];
        System.arraycopy(vals, 0, condVals, 0, nc);
        System.arraycopy(vals, nc + nb, condVals, nc, m);
        int[] origCondDims = condDims(dims, nc, nb, m);
        boolean predBatched = ProgramTransforms.batchedOutputs(w.cond(),
                avals(condVals, origCondDims, nc, 0, carryB, axisSize), inDims(origCondDims, nc, 0, carryB),
                axisSize)[0];
        if (predBatched) {
            Arrays.fill(carryB, true);
        }
        int[] condDims = inDims(origCondDims, nc, 0, carryB);
        ClosedProgram cond = CondRules.trace(args -> {
            Array[] p = Vectorize.vmap("vmap of while", w.cond()::evaluate, args, condDims, axisSize,
                    o -> predBatched ? 0 : Vectorize.NOT_MAPPED, axisName);
            return new Array[] {predBatched ? any(p[0]) : p[0]};
        }, avals(condVals, origCondDims, nc, 0, carryB, axisSize), null);
        int[] bodyDims = inDims(dims, nc, nb, carryB);
        ClosedProgram body = CondRules.trace(args -> Vectorize.vmap("vmap of while",
                ex -> guardedBody(w, ex, predBatched), args, bodyDims, axisSize,
                o -> carryB[o] ? 0 : Vectorize.NOT_MAPPED, axisName), avals(vals, dims, nc, nb, carryB, axisSize), null);
        return new Derived(cond, body, carryB);
    }

    /** One example's body step: (predicate captures, body captures, carries) to new carries. */
    private static Array[] guardedBody(While w, Array[] ex, boolean guarded) {
        int nc = w.condConsts();
        int nb = w.bodyConsts();
        int m = w.numCarries();
        Array[] carry = Arrays.copyOfRange(ex, nc + nb, nc + nb + m);
        Array[] bodyIn = Arrays.copyOfRange(ex, nc, nc + nb + m);
        Array[] next = w.body().evaluate(bodyIn);
        if (!guarded) {
            return next;
        }
        Array[] condIn = new Array[nc + m];
        System.arraycopy(ex, 0, condIn, 0, nc);
        System.arraycopy(carry, 0, condIn, nc, m);
        Array pred = w.cond().evaluate(condIn)[0];
        Array[] out = new Array[m];
        for (int j = 0; j < m; j++) {
            out[j] = Ops.select(CondRules.broadcast(pred, next[j]), next[j], carry[j]);
        }
        return out;
    }

    private static Array any(Array preds) {
        // a count rather than a max: an empty batch has no max, and runs no iteration
        Array count = Ops.reduceSum(Ops.convert(preds, DType.INT32), 0);
        return Ops.ne(count, ControlFlow.intScalar(0));
    }

    /** A batched value with its batch moved to axis 0, or an unbatched one broadcast along a new axis 0. */
    static Array toFront(Array x, int dim, int axisSize) {
        if (dim == Batched.NOT_BATCHED) {
            int[] shape = new int[x.ndim() + 1];
            int[] bdims = new int[x.ndim()];
            shape[0] = axisSize;
            for (int i = 0; i < x.ndim(); i++) {
                shape[i + 1] = x.shape()[i];
                bdims[i] = i + 1;
            }
            return Ops.broadcastInDim(x, shape, bdims);
        }
        if (dim == 0) {
            return x;
        }
        int[] perm = new int[x.ndim()];
        perm[0] = dim;
        for (int i = 0, k = 1; i < x.ndim(); i++) {
            if (i != dim) {
                perm[k++] = i;
            }
        }
        return Ops.transpose(x, perm);
    }

    /** Dims of (predicate captures, body captures, carries) once batched carries are on axis 0. */
    private static int[] inDims(int[] dims, int nc, int nb, boolean[] carryB) {
        int[] d = new int[nc + nb + carryB.length];
        System.arraycopy(dims, 0, d, 0, nc + nb);
        for (int j = 0; j < carryB.length; j++) {
            d[nc + nb + j] = carryB[j] ? 0 : Batched.NOT_BATCHED;
        }
        return d;
    }

    private static int[] condDims(int[] dims, int nc, int nb, int m) {
        int[] d = new int[nc + m];
        System.arraycopy(dims, 0, d, 0, nc);
        System.arraycopy(dims, nc + nb, d, nc, m);
        return d;
    }

    /** Avals of (captures as they are, carries as they will be: batched on axis 0 where {@code carryB}). */
    private static List<Aval> avals(Array[] vals, int[] dims, int nc, int nb, boolean[] carryB, int axisSize) {
        List<Aval> out = new ArrayList<>();
        for (int i = 0; i < nc + nb; i++) {
            out.add(vals[i].aval());
        }
        for (int j = 0; j < carryB.length; j++) {
            Aval c = vals[nc + nb + j].aval();
            out.add(carryB[j] ? frontAval(c, dims[nc + nb + j], axisSize) : c);
        }
        return out;
    }

    /** The aval of {@link #toFront}'s result. */
    static Aval frontAval(Aval a, int dim, int axisSize) {
        int[] shape = new int[a.rank() + (dim == Batched.NOT_BATCHED ? 1 : 0)];
        shape[0] = axisSize;
        for (int i = 0, k = 1; i < a.rank(); i++) {
            if (i != dim) {
                shape[k++] = a.shape()[i];
            }
        }
        return new Aval(a.dtype(), shape);
    }
}
