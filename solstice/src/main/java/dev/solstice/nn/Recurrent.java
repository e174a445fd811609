package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Lax;
import dev.solstice.Scan;
import dev.solstice.ScanOptions;
import dev.solstice.ScanStep;
import dev.solstice.tree.Tree;

/**
 * A recurrent cell run over a sequence, written as Equinox users write it: the cell scanned over time with
 * {@code lax.scan}, so that the loop is one {@code scan} operation whatever the sequence length (its trace,
 * gradient and jit do not unroll it).
 * <pre>{@code
 * Recurrent<Array> gru = new Recurrent<>(new GRUCell(3, 8, key));
 * Array hs = gru.apply(xs);                 // [time, 8]: the hidden vector after every step
 * Array last = gru.finalState(xs);          // [8]
 * Scan<Array, Array> both = gru.scan(xs, h0);
 * }</pre>
 * With {@code reverse} the steps run from the last input to the first (the backward half of a bidirectional
 * network); the outputs stay in input order, so output {@code t} has seen inputs {@code t..time-1}. For one
 * sequence; batch with {@code Jax.vmap}.
 *
 * {@snippet lang=java :
 * Recurrent<Array> rnn = new Recurrent<>(new GRUCell(3, 8, Prng.key(0)));
 * Array xs = Jnp.ones(DType.FLOAT32, 10, 3);
 * rnn.apply(xs)   // float32[10,8]
 * rnn.finalState(xs)   // float32[8]
 * }
 *
 * @param cell the step, for example a {@link GRUCell} or an {@link LSTMCell}
 * @param reverse whether the steps run from the last input to the first
 * @param <S> the cell's state
 */
public record Recurrent<S>(RecurrentCell<S> cell, boolean reverse) implements Layer {

    /** The cell run forward in time. */
    public Recurrent(RecurrentCell<S> cell) {
        this(cell, false);
    }

    /**
     * The cell's output after every step, from its zero state.
     *
     * {@snippet lang=java :
     * Recurrent<Array> rnn = new Recurrent<>(new GRUCell(3, 8, Prng.key(0)));
     * Array xs = Jnp.ones(DType.FLOAT32, 10, 3);
     * rnn.apply(xs)   // float32[10,8]
     * rnn.finalState(xs)   // float32[8]
     * }
     *
     * @param xs {@code [time, inputSize]}
     * @return {@code [time, hiddenSize]}
     */
    @Override
    public Array apply(Array xs) {
        return scan(xs, cell.initialState()).ys();
    }

    /**
     * The state after the last step (the first input when reversed), from the cell's zero state.
     *
     * {@snippet lang=java :
     * Recurrent<Array> rnn = new Recurrent<>(new GRUCell(3, 8, Prng.key(0)));
     * rnn.finalState(Jnp.ones(DType.FLOAT32, 10, 3))   // float32[8]
     * }
     */
    public S finalState(Array xs) {
        return finalState(xs, cell.initialState());
    }

    /**
     * The state after the last step from a given initial state; no per-step outputs are stacked.
     *
     * {@snippet lang=java :
     * Recurrent<LSTMCell.State> rnn = new Recurrent<>(new LSTMCell(3, 8, Prng.key(0)));
     * LSTMCell.State s = rnn.finalState(Jnp.ones(DType.FLOAT32, 10, 3), rnn.cell().initialState());
     * s.c()   // float32[8]
     * }
     */
    public S finalState(Array xs, S init) {
        return run(xs, init, false).carry();
    }

    /**
     * The final state and the per-step outputs {@code [time, hiddenSize]}, from a given initial state.
     *
     * {@snippet lang=java :
     * Recurrent<Array> rnn = new Recurrent<>(new GRUCell(3, 8, Prng.key(0)));
     * Scan<Array, Array> out = rnn.scan(Jnp.ones(DType.FLOAT32, 10, 3), Jnp.zeros(DType.FLOAT32, 8));
     * out.ys()   // float32[10,8]
     * }
     *
     * @param xs {@code [time, inputSize]}
     * @param init the state before the first step
     * @return the scan's carry (the final state) and ys (the outputs)
     */
    public Scan<S, Array> scan(Array xs, S init) {
        return run(xs, init, true);
    }

    private Scan<S, Array> run(Array xs, S init, boolean stackOutputs) {
        if (xs.ndim() != 2 || xs.shape()[1] != cell.inputSize()) {
            throw new IllegalArgumentException("Recurrent: the input must have shape [time, " + cell.inputSize()
                    + "], got " + xs.aval().str() + " (use Jax.vmap for batches)");
        }
        return Lax.scan((S s, Array x) -> {
            S next = cell.apply(x, s);
            return new ScanStep<>(next, stackOutputs ? cell.output(next) : null);
        }, init, xs, reverse ? ScanOptions.reverse() : ScanOptions.defaults());
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
