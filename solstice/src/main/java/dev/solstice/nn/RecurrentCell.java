package dev.solstice.nn;

import dev.solstice.Array;

/**
 * One step of a recurrent network, the call signature Equinox's cells share ({@code cell(input, state)}), so
 * that {@link Recurrent} can scan any of them over time. {@link GRUCell} (state: the hidden vector) and
 * {@link LSTMCell} (state: {@link LSTMCell.State}) implement it; a user cell may too.
 *
 * {@snippet lang=java :
 * RecurrentCell<Array> cell = new GRUCell(3, 5, Prng.key(0));
 * cell.output(cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialState()))   // float32[5]
 * }
 *
 * @param <S> the state: an array or a tree of arrays whose structure, shapes and dtypes every step keeps
 */
public interface RecurrentCell<S> extends Module {

    /** The size of one input vector. */
    int inputSize();

    /** The size of the hidden vector that {@link #output} returns. */
    int hiddenSize();

    /** The zero state, of the weights' dtype. */
    S initialState();

    /**
     * One step.
     *
     * @param input {@code [inputSize]}
     * @param state the state before this step
     * @return the state after it
     */
    S apply(Array input, S state);

    /** The hidden vector {@code [hiddenSize]} a state exposes as the step's output (for an LSTM its {@code h}). */
    Array output(S state);
}
