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

    /**
     * The size of one input vector.
     *
     * {@snippet lang=java :
     * RecurrentCell<Array> cell = new GRUCell(3, 5, Prng.key(0));
     * cell.inputSize()   // 3
     * }
     */
    int inputSize();

    /**
     * The size of the hidden vector that {@link #output} returns.
     *
     * {@snippet lang=java :
     * RecurrentCell<Array> cell = new GRUCell(3, 5, Prng.key(0));
     * cell.hiddenSize()   // 5
     * }
     */
    int hiddenSize();

    /**
     * The zero state, of the weights' dtype.
     *
     * {@snippet lang=java :
     * RecurrentCell<LSTMCell.State> cell = new LSTMCell(3, 5, Prng.key(0));
     * cell.initialState().h()   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * }
     */
    S initialState();

    /**
     * One step.
     *
     * {@snippet lang=java :
     * RecurrentCell<Array> cell = new GRUCell(3, 5, Prng.key(0));
     * cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialState())   // float32[5]
     * }
     *
     * @param input {@code [inputSize]}
     * @param state the state before this step
     * @return the state after it
     */
    S apply(Array input, S state);

    /**
     * The hidden vector {@code [hiddenSize]} a state exposes as the step's output (for an LSTM its {@code h}).
     *
     * {@snippet lang=java :
     * RecurrentCell<LSTMCell.State> cell = new LSTMCell(3, 5, Prng.key(0));
     * cell.output(cell.initialState())   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * }
     */
    Array output(S state);
}
