package dev.solstice.transform;

import static dev.solstice.transform.CheckpointSlots.FREE;
import static dev.solstice.transform.CheckpointSlots.i32;
import static dev.solstice.transform.CheckpointSlots.where;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The backward pass of a checkpointed while loop (treeverse): a while loop that holds a primal carry at step
 * {@code s} and the cotangent of the carry at step {@code g > s}. Each iteration either recomputes one step
 * forward ({@code s + 1}, storing it in a free slot at the step planned binomially, or at every step when the free
 * slots suffice) or, when {@code s + 1 == g}, makes a U-turn: the body's VJP at the carry of step {@code s} carries
 * the cotangent to step {@code s}, adds the captured values' share, and the newest checkpoint before {@code s} is
 * reloaded (its slot freed once the next U-turn needs it no more). It stops at {@code g == 0}. The slots are a set,
 * searched by step, so the forward pass leaves them in any order.
 *
 * <p>Carries: s, g, the step of the next planned checkpoint, the slots' steps, the primal carry, the carry's
 * cotangents (differentiated carries), the captured values' cotangents (differentiated captures), the buffers.
 */
final class TreeverseBackward {
    private TreeverseBackward() {}

    /**
     * Cotangents of the differentiated body captures then carries (those marked in {@code nz}, body captures
     * first) for the cotangents {@code cts} of the differentiated final carries.
     */
    static Array[] run(While loop, int c, boolean[] nz, Array[] primals, TreeverseForward.Result fwd, Array[] cts) {
        Layout l = new Layout(loop, nz);
        List<Array> bodyConsts = List.of(primals).subList(loop.condConsts(), loop.condConsts() + l.nb);
        Array g = fwd.numSteps();
        Reload r = reload(g, fwd.slotSteps(), fwd.buffers());
        List<Array> carries = new ArrayList<>(List.of(r.s, g, planNext(r.s, g, r.slotSteps, c), r.slotSteps));
        carries.addAll(List.of(r.val));
        carries.addAll(List.of(cts));
        for (int i : l.consts) {
            carries.add(Ops.zerosLike(bodyConsts.get(i)));
        }
        carries.addAll(List.of(fwd.buffers()));
        ClosedProgram cond = CondRules.trace(args -> new Array[] {Ops.gt(args[1], i32(0))}, CondRules.avals(carries),
                null);
        List<Aval> avals = CondRules.avals(bodyConsts);
        avals.addAll(CondRules.avals(carries));
        ClosedProgram forward = CondRules.trace(args -> forwardStep(l, c, args), avals, null);
        ClosedProgram uTurn = CondRules.trace(args -> uTurn(l, c, args), avals, null);
        ClosedProgram body = CondRules.trace(args -> {
            Array s = args[l.nb];
            Array turn = Ops.convert(Ops.eq(Ops.add(s, i32(1)), args[l.nb + 1]), DType.INT32);
            return CondRules.bind(turn, List.of(forward, uTurn), List.of(args));
        }, avals, null);
        Array[] out = WhileRules.bind(cond, body, List.of(), bodyConsts, carries);
        Array[] result = new Array[l.consts.length + l.carries.length];
        System.arraycopy(out, l.constCtAt - l.nb, result, 0, l.consts.length);
        System.arraycopy(out, l.ctAt - l.nb, result, l.consts.length, l.carries.length);
        return result;
    }

    /** Where things are among (body captures, carries) of the backward loop's body. */
    private static final class Layout {
        final While loop;
        final int nb;
        final int m;
        final int[] consts;
        final int[] carries;
        final int valAt;
        final int ctAt;
        final int constCtAt;
        final int buffersAt;

        Layout(While loop, boolean[] nz) {
            this.loop = loop;
            nb = loop.bodyConsts();
            m = loop.numCarries();
            consts = java.util.stream.IntStream.range(0, nb).filter(i -> nz[i]).toArray();
            carries = java.util.stream.IntStream.range(0, m).filter(j -> nz[nb + j]).toArray();
            valAt = nb + 4;
            ctAt = valAt + m;
            constCtAt = ctAt + carries.length;
            buffersAt = constCtAt + consts.length;
        }

        Array[] carriesOf(Array[] args) {
            return Arrays.copyOfRange(args, nb, args.length);
        }

        Array[] buffers(Array[] args) {
            return Arrays.copyOfRange(args, buffersAt, buffersAt + m);
        }
    }

    /** One step forward from s; the new carry is stored if s + 1 is the planned checkpoint (and a slot is free). */
    private static Array[] forwardStep(Layout l, int c, Array[] args) {
        Array[] out = l.carriesOf(args);
        Array[] bodyIn = Arrays.copyOf(args, l.nb + l.m);
        System.arraycopy(args, l.valAt, bodyIn, l.nb, l.m);
        Array[] next = l.loop.body().evaluate(bodyIn);
        Array s = Ops.add(args[l.nb], i32(1));
        Array g = args[l.nb + 1];
        Array slotSteps = args[l.nb + 3];
        Array save = Ops.eq(s, args[l.nb + 2]);
        Array slot = Ops.argmax(Ops.convert(Ops.eq(slotSteps, CheckpointSlots.filled(c, FREE)), DType.INT32), 0);
        Array stored = CheckpointSlots.setWhere(slotSteps, slot, s, save);
        out[0] = s;
        out[2] = where(save, planNext(s, g, stored, c), args[l.nb + 2]);
        out[3] = stored;
        System.arraycopy(next, 0, out, l.valAt - l.nb, l.m);
        for (int j = 0; j < l.m; j++) {
            out[l.buffersAt - l.nb + j] = CheckpointSlots.writeRow(args[l.buffersAt + j], slot, next[j], save);
        }
        return out;
    }

    /** The body's VJP at the carry of step s = g - 1, then the newest checkpoint before the new g reloaded. */
    private static Array[] uTurn(Layout l, int c, Array[] args) {
        Array[] out = l.carriesOf(args);
        int k = l.consts.length;
        Array[] diff = new Array[k + l.carries.length];
        for (int a = 0; a < k; a++) {
            diff[a] = args[l.consts[a]];
        }
        for (int b = 0; b < l.carries.length; b++) {
            diff[k + b] = args[l.valAt + l.carries[b]];
        }
        Autodiff.Linearized lin = Autodiff.linearize("Eqx.whileLoop (CHECKPOINTED backward)", d -> {
            Array[] bodyIn = Arrays.copyOf(args, l.nb + l.m);
            System.arraycopy(args, l.valAt, bodyIn, l.nb, l.m);
            for (int a = 0; a < k; a++) {
                bodyIn[l.consts[a]] = d[a];
            }
            for (int b = 0; b < l.carries.length; b++) {
                bodyIn[l.nb + l.carries[b]] = d[k + b];
            }
            Array[] next = l.loop.body().evaluate(bodyIn);
            Array[] picked = new Array[l.carries.length];
            for (int b = 0; b < picked.length; b++) {
                picked[b] = next[l.carries[b]];
            }
            return picked;
        }, diff);
        Array[] ct = lin.vjp(Arrays.copyOfRange(args, l.ctAt, l.ctAt + l.carries.length));
        for (int a = 0; a < k; a++) {
            out[l.constCtAt - l.nb + a] = Ops.add(args[l.constCtAt + a], ct[a]);
        }
        System.arraycopy(ct, k, out, l.ctAt - l.nb, l.carries.length);
        Array g = Ops.sub(args[l.nb + 1], i32(1));
        Reload r = reload(g, args[l.nb + 3], l.buffers(args));
        out[0] = r.s;
        out[1] = g;
        out[2] = planNext(r.s, g, r.slotSteps, c);
        out[3] = r.slotSteps;
        System.arraycopy(r.val, 0, out, l.valAt - l.nb, l.m);
        return out;
    }

    private record Reload(Array s, Array[] val, Array slotSteps) {}

    /**
     * The newest checkpoint before step g (when g is 0 there is none, and what is read is never used); its slot is
     * freed when g is the step right after it, as it is then needed for one U-turn only.
     */
    private static Reload reload(Array g, Array slotSteps, Array[] buffers) {
        int c = slotSteps.shape()[0];
        Array before = Ops.lt(slotSteps, Ops.broadcastInDim(g, new int[] {c}, new int[0]));
        Array slot = Ops.argmax(Ops.select(before, slotSteps, CheckpointSlots.filled(c, -1)), 0);
        Array s = CheckpointSlots.get(slotSteps, slot);
        Array[] val = new Array[buffers.length];
        for (int j = 0; j < val.length; j++) {
            val[j] = CheckpointSlots.row(buffers[j], slot);
        }
        Array last = Ops.eq(Ops.add(s, i32(1)), g);
        return new Reload(s, val, CheckpointSlots.setWhere(slotSteps, slot, i32(FREE), last));
    }

    /**
     * The step at which the recomputation from s towards g stores its next checkpoint: every step when the free
     * slots suffice for the whole gap, otherwise halfway (binomial placement); none ({@link CheckpointSlots#FREE})
     * when no slot is free or g is at most two steps ahead (a U-turn or a step and a U-turn, from s itself).
     */
    private static Array planNext(Array s, Array g, Array slotSteps, int c) {
        Array gap = Ops.sub(g, s);
        Array free = Ops.sub(i32(c), CheckpointSlots.count(Ops.ne(slotSteps, CheckpointSlots.filled(c, FREE))));
        Array none = Ops.or(Ops.eq(free, i32(0)), Ops.le(gap, i32(2)));
        Array linear = Ops.le(Ops.sub(gap, i32(2)), free);
        Array at = where(linear, Ops.add(s, i32(1)), Ops.add(s, Ops.shiftRightLogical(gap, i32(1))));
        return where(none, i32(FREE), at);
    }
}
