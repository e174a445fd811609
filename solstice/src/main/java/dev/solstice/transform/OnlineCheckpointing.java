package dev.solstice.transform;

import static dev.solstice.transform.CheckpointSlots.get;
import static dev.solstice.transform.CheckpointSlots.i32;
import static dev.solstice.transform.CheckpointSlots.set;
import static dev.solstice.transform.CheckpointSlots.where;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.prim.Ops;

/**
 * Which forward steps of a checkpointed while loop store their carry, and in which slot, when the number of steps
 * is not known in advance (online checkpointing, as Equinox's {@code checkpointed_while_loop}): Stumm and Walther's
 * Algorithm I ("New Algorithms for Optimal Online Checkpointing", 2010), which keeps the checkpoints binomially
 * spaced, hence the backward pass's recomputation optimal, up to step {@code (c + 1)(c + 2) / 2 - 1} for
 * {@code c} slots; past it, Wang and Moin's dynamic checkpointing (2008): a slot is overwritten by the newest
 * step, by level, dispensable checkpoints first. Step 0 always goes to slot 0 and stays there.
 *
 * <p>The controller's state is a handful of int32/bool arrays, carried by the forward loop: (i, o, p, s) of
 * Stumm–Walther (next slot, checkpoints left in the current round, step that ends it, whether to save), then
 * Wang–Moin's level of each slot and whether it is dispensable.
 */
final class OnlineCheckpointing {
    private OnlineCheckpointing() {}

    /** Number of arrays in the controller's state. */
    static final int STATE_SIZE = 6;

    /**
     * One forward step's decision.
     *
     * @param save bool scalar: store the carry of this step
     * @param slot int32 scalar: where
     * @param state the controller's next state
     */
    record Decision(Array save, Array slot, Array[] state) {}

    /** The controller's state before step 0, for {@code c} slots. */
    static Array[] initialState(int c) {
        Array levels = set(CheckpointSlots.filled(c, 0), i32(0), i32(CheckpointSlots.FREE));
        Array dispensable = Ops.broadcastInDim(Ops.convert(i32(0), DType.BOOL), new int[] {c}, new int[0]);
        return new Array[] {i32(0), i32(c), i32(c), Ops.convert(i32(1), DType.BOOL), levels, dispensable};
    }

    /** The decision at {@code step} (int32 scalar) given the steps now held by the slots. */
    static Decision decide(Array step, Array[] state, Array slotSteps, int c, int maxSteps) {
        if (c >= maxSteps) {
            return new Decision(Ops.convert(i32(1), DType.BOOL), step, state); // every step has its own slot
        }
        Decision sw = stummWalther(step, state);
        int sweepEnd = (c + 1) * (c + 2) / 2 - 1;
        if (maxSteps <= sweepEnd) {
            return sw; // the steps never leave Stumm–Walther's range
        }
        Decision wm = wangMoin(state, slotSteps, c);
        Array late = Ops.ge(step, i32(sweepEnd));
        Array[] next = new Array[STATE_SIZE];
        for (int k = 0; k < STATE_SIZE; k++) {
            next[k] = Ops.select(CondRules.broadcast(late, sw.state()[k]), wm.state()[k], sw.state()[k]);
        }
        return new Decision(where(late, wm.save(), sw.save()), where(late, wm.slot(), sw.slot()), next);
    }

    /** Stumm and Walther's Algorithm I: rounds of {@code o, o - 1, ..., 1} checkpoints, each round ending at step p. */
    private static Decision stummWalther(Array step, Array[] state) {
        Array i = state[0];
        Array o = state[1];
        Array p = state[2];
        Array s = state[3];
        Array one = i32(1);
        Array advanced = where(s, Ops.add(i, one), i);
        advanced = where(Ops.and(s, Ops.gt(advanced, o)), one, advanced); // slots 1..o are reused in turn
        Array saveNext = where(Ops.eq(Ops.add(step, one), p), Ops.convert(i32(0), DType.BOOL), s);
        Array roundEnds = Ops.eq(step, p);
        Array nextO = where(roundEnds, Ops.sub(o, one), o);
        Array[] next = state.clone();
        next[0] = where(roundEnds, nextO, advanced);
        next[1] = nextO;
        next[2] = where(roundEnds, Ops.add(p, o), p);
        next[3] = where(roundEnds, Ops.gt(nextO, i32(0)), saveNext);
        return new Decision(s, i, next);
    }

    /**
     * Wang and Moin's dynamic checkpointing: the newest step replaces the newest dispensable checkpoint (at level
     * 0), or, when none is dispensable, the newest checkpoint (one level up), which makes every checkpoint of a
     * lower level dispensable. Slot 0 (step 0, level "infinite") is never replaced. One slot: nothing is stored.
     */
    private static Decision wangMoin(Array[] state, Array slotSteps, int c) {
        if (c == 1) {
            return new Decision(Ops.convert(i32(0), DType.BOOL), i32(0), state);
        }
        Array levels = state[4];
        Array dispensable = state[5];
        Array anyDispensable = Ops.gt(CheckpointSlots.count(dispensable), i32(0));
        Array newestDispensable = Ops.argmax(Ops.select(dispensable, slotSteps, CheckpointSlots.filled(c, -1)), 0);
        Array newest = Ops.argmax(slotSteps, 0);
        Array slot = where(anyDispensable, newestDispensable, newest);
        Array level = where(anyDispensable, i32(0), Ops.add(get(levels, newest), i32(1)));
        Array lower = Ops.lt(levels, Ops.broadcastInDim(get(levels, newest), new int[] {c}, new int[0]));
        Array nextDispensable = Ops.select(Ops.broadcastInDim(anyDispensable, new int[] {c}, new int[0]),
                set(dispensable, slot, Ops.convert(i32(0), DType.BOOL)), Ops.or(dispensable, lower));
        Array[] next = state.clone();
        next[4] = set(levels, slot, level);
        next[5] = nextDispensable;
        return new Decision(Ops.convert(i32(1), DType.BOOL), slot, next);
    }
}
