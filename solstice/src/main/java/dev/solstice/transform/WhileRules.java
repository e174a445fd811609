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

/** The rules of {@link While}: a while of derived programs ({@link ProgramTransforms}), traced on each use. */
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
        boolean[] nz = new boolean[nb + m]; // body captures, then carries
        for (int i = 0; i < nb + m; i++) {
            nz[i] = !Zero.isZero(tangents[nc + i]);
        }
        List<Array> cc = List.of(primals).subList(0, nc);
        List<Array> bc = List.of(primals).subList(nc, nc + nb);
        List<Array> carry = List.of(primals).subList(nc + nb, nc + nb + m);
        List<Aval> bodyAvals = CondRules.avals(List.of(primals).subList(nc, nc + nb + m));
        ProgramTransforms.jvpCarryFixedPoint(w.body(), bodyAvals, nz, nb, m);
        List<Array> bcT = new ArrayList<>();
        List<Array> carryT = new ArrayList<>();
        for (int i = 0; i < nb + m; i++) {
            if (nz[i]) {
                (i < nb ? bcT : carryT).add(Zero.instantiate(tangents[nc + i]));
            }
        }
        List<Array> newCarries = new ArrayList<>(carry);
        newCarries.addAll(carryT);
        List<Aval> condAvals = CondRules.avals(cc);
        condAvals.addAll(CondRules.avals(newCarries));
        ClosedProgram cond = CondRules.trace(args -> w.cond().evaluate(Arrays.copyOf(args, nc + m)), condAvals, null);
        List<Array> newBodyConsts = new ArrayList<>(bc);
        newBodyConsts.addAll(bcT);
        List<Aval> avals = CondRules.avals(newBodyConsts);
        avals.addAll(CondRules.avals(newCarries));
        int nbT = bcT.size();
        ClosedProgram body = CondRules.trace(args -> {
            // (captures, their tangents, carries, their tangents) -> the JVP program's (captures, carries, tangents)
            List<Array> in = new ArrayList<>(List.of(args).subList(0, nb));
            in.addAll(List.of(args).subList(nb + nbT, nb + nbT + m));
            in.addAll(List.of(args).subList(nb, nb + nbT));
            in.addAll(List.of(args).subList(nb + nbT + m, args.length));
            Array[] r = ProgramTransforms.jvp(w.body(), nz).apply(in.toArray(Array[]::new));
            List<Array> out = new ArrayList<>(List.of(r).subList(0, m));
            for (int j = 0; j < m; j++) {
                if (nz[nb + j]) {
                    out.add(r[m + j]);
                }
            }
            return out.toArray(Array[]::new);
        }, avals, null);
        Array[] r = bind(cond, body, cc, newBodyConsts, newCarries);
        Array[] outs = Arrays.copyOf(r, m);
        Array[] outT = new Array[m];
        int k = m;
        for (int j = 0; j < m; j++) {
            outT[j] = nz[nb + j] ? r[k++] : Zero.of(outs[j].aval());
        }
        return new Array[][] {outs, outT};
    }

    // ---- batching -------------------------------------------------------------------------------------------

    /**
     * vmap of a while. Carries that can vary across the batch (fixed point of the body) carry it on axis 0. With a
     * batched predicate every carry is batched, the loop runs while any example's predicate holds, and the body
     * keeps an example's carry unchanged once its predicate fails.
     */
    static Batched batch(While w, Array[] vals, int[] dims, int axisSize) {
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
        List<Array> carries = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            Array c = vals[nc + nb + j];
            carries.add(carryB[j] ? toFront(c, dims[nc + nb + j], axisSize) : c);
        }
        List<Array> cc = List.of(vals).subList(0, nc);
        List<Array> bc = List.of(vals).subList(nc, nc + nb);
        List<Aval> cAvals = CondRules.avals(cc);
        cAvals.addAll(CondRules.avals(carries));
        ClosedProgram cond = CondRules.trace(args -> {
            Array[] p = Vectorize.vmap("vmap of while", w.cond()::evaluate, args, condDims, axisSize,
                    o -> predBatched ? 0 : Vectorize.NOT_MAPPED);
            return new Array[] {predBatched ? any(p[0]) : p[0]};
        }, cAvals, null);
        List<Array> bodyConsts = new ArrayList<>(cc);
        bodyConsts.addAll(bc);
        List<Aval> bAvals = CondRules.avals(bodyConsts);
        bAvals.addAll(CondRules.avals(carries));
        int[] bodyDims = new int[nc + nb + m];
        System.arraycopy(dims, 0, bodyDims, 0, nc + nb);
        System.arraycopy(inDims(dims, nc, nb, carryB), nc + nb, bodyDims, nc + nb, m);
        ClosedProgram body = CondRules.trace(args -> Vectorize.vmap("vmap of while",
                ex -> guardedBody(w, ex, predBatched), args, bodyDims, axisSize,
                o -> carryB[o] ? 0 : Vectorize.NOT_MAPPED), bAvals, null);
        Array[] outs = bind(cond, body, cc, bodyConsts, carries);
        int[] outDims = new int[m];
        for (int j = 0; j < m; j++) {
            outDims[j] = carryB[j] ? 0 : Batched.NOT_BATCHED;
        }
        return new Batched(outs, outDims);
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
            Array c = vals[nc + nb + j];
            int d = dims[nc + nb + j];
            if (!carryB[j]) {
                out.add(c.aval());
                continue;
            }
            int[] shape = new int[c.ndim() + (d == Batched.NOT_BATCHED ? 1 : 0)];
            shape[0] = axisSize;
            for (int i = 0, k = 1; i < c.ndim(); i++) {
                if (i != d) {
                    shape[k++] = c.shape()[i];
                }
            }
            out.add(new Aval(c.dtype(), shape));
        }
        return out;
    }
}
