package dev.solstice.transform;

import static dev.solstice.transform.CheckpointSlots.i32;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The forward pass of a checkpointed while loop under differentiation: the loop itself, also carrying the
 * checkpoint store ({@link CheckpointSlots}) and the controller ({@link OnlineCheckpointing}) that decides at each
 * step whether the carry goes into a slot. A while loop of its own (so it stages, batches and differentiates
 * forward as one), of the same number of steps as the plain loop.
 */
final class TreeverseForward {
    private TreeverseForward() {}

    /**
     * What the forward pass leaves: the final carries, and for the backward pass the number of steps run, the
     * step each slot holds ({@link CheckpointSlots#FREE} if none) and one buffer {@code [c, ...]} per carry leaf.
     */
    record Result(Array[] outs, Array numSteps, Array slotSteps, Array[] buffers) {}

    static Result run(While loop, int c, int maxSteps, Array[] primals) {
        int nc = loop.condConsts();
        int nb = loop.bodyConsts();
        int m = loop.numCarries();
        List<Array> condConsts = List.of(primals).subList(0, nc);
        List<Array> bodyConsts = List.of(primals).subList(nc, nc + nb);
        List<Array> carries = new ArrayList<>();
        carries.add(i32(0));
        carries.addAll(List.of(OnlineCheckpointing.initialState(c)));
        carries.addAll(List.of(primals).subList(nc + nb, nc + nb + m));
        carries.add(CheckpointSlots.filled(c, CheckpointSlots.FREE));
        for (int j = 0; j < m; j++) {
            Aval a = primals[nc + nb + j].aval();
            carries.add(Ops.full(new Aval(a.dtype(), prepend(c, a.shape())), 0));
        }
        int valAt = 1 + OnlineCheckpointing.STATE_SIZE;
        List<Aval> condAvals = CondRules.avals(condConsts);
        condAvals.addAll(CondRules.avals(carries));
        ClosedProgram cond = CondRules.trace(args -> {
            Array[] in = Arrays.copyOf(args, nc + m);
            System.arraycopy(args, nc + valAt, in, nc, m);
            return loop.cond().evaluate(in);
        }, condAvals, null);
        List<Aval> bodyAvals = CondRules.avals(bodyConsts);
        bodyAvals.addAll(CondRules.avals(carries));
        ClosedProgram body = CondRules.trace(args -> step(loop, c, maxSteps, args), bodyAvals, null);
        Array[] r = WhileRules.bind(cond, body, condConsts, bodyConsts, carries);
        Array[] outs = Arrays.copyOfRange(r, valAt, valAt + m);
        return new Result(outs, r[0], r[valAt + m], Arrays.copyOfRange(r, valAt + m + 1, valAt + 2 * m + 1));
    }

    /** One step: (body captures, carries) to carries; the carry before the body is stored if the controller says. */
    private static Array[] step(While loop, int c, int maxSteps, Array[] args) {
        int nb = loop.bodyConsts();
        int m = loop.numCarries();
        int valAt = nb + 1 + OnlineCheckpointing.STATE_SIZE;
        Array step = args[nb];
        Array[] state = Arrays.copyOfRange(args, nb + 1, valAt);
        Array slotSteps = args[valAt + m];
        OnlineCheckpointing.Decision d = OnlineCheckpointing.decide(step, state, slotSteps, c, maxSteps);
        Array[] out = new Array[args.length - nb];
        out[0] = Ops.add(step, i32(1));
        System.arraycopy(d.state(), 0, out, 1, state.length);
        Array[] bodyIn = Arrays.copyOfRange(args, 0, nb + m);
        System.arraycopy(args, valAt, bodyIn, nb, m);
        Array[] next = loop.body().evaluate(bodyIn);
        System.arraycopy(next, 0, out, 1 + state.length, m);
        out[1 + state.length + m] = CheckpointSlots.setWhere(slotSteps, d.slot(), step, d.save());
        for (int j = 0; j < m; j++) {
            out[2 + state.length + m + j] = CheckpointSlots.writeRow(args[valAt + m + 1 + j], d.slot(), args[valAt + j],
                    d.save());
        }
        return out;
    }

    static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
