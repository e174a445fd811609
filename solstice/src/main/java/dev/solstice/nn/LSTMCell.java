package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;

/**
 * One step of a long short-term memory unit (Equinox's {@code eqx.nn.LSTMCell}). With
 * {@code W_ih x + W_hh h + b} split into four parts {@code i, f, g, o} in that order:
 * <pre>
 * c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
 * h' = sigmoid(o) * tanh(c')
 * </pre>
 * Initialised as Equinox: {@code split(key, 3)} gives the keys of {@code weightIh}, {@code weightHh} and
 * {@code bias}, each uniform on {@code [-sqrt(1/hidden), sqrt(1/hidden))}.
 *
 * <p>For one example; batch with {@code Jax.vmap}, run over a sequence with {@link Recurrent}. The canonical constructor does not check shapes; the
 * size-based constructors do.
 *
 * {@snippet lang=java :
 * LSTMCell cell = new LSTMCell(3, 5, Prng.key(0));
 * LSTMCell.State s = cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialState());
 * cell.output(s)   // float32[5]
 * s.c()   // float32[5]
 * }
 *
 * @param weightIh {@code [4 * hidden, input]}
 * @param weightHh {@code [4 * hidden, hidden]}
 * @param bias {@code [4 * hidden]}, or null without bias
 * @param inputSize input size
 * @param hiddenSize hidden size
 * @param useBias whether the bias exists
 */
public record LSTMCell(Array weightIh, Array weightHh, Array bias, int inputSize, int hiddenSize, boolean useBias)
        implements RecurrentCell<LSTMCell.State> {

    /**
     * The LSTM's hidden state, Equinox's {@code (h, c)} pair; a record, so it is a tree (it passes through
     * vmap, grad and scans).
     *
     * {@snippet lang=java :
     * LSTMCell.State s = new LSTMCell(3, 5, Prng.key(0)).initialState();
     * s.h()   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * s.c()   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * }
     *
     * @param h the output state {@code [hidden]}
     * @param c the cell state {@code [hidden]}
     */
    public record State(Array h, Array c) {}

    /** A float32 cell with bias. */
    public LSTMCell(int inputSize, int hiddenSize, Array key) {
        this(inputSize, hiddenSize, true, DType.FLOAT32, key);
    }

    /** Every option. */
    public LSTMCell(int inputSize, int hiddenSize, boolean useBias, DType dtype, Array key) {
        this(init(inputSize, hiddenSize, useBias, dtype, key));
    }

    private LSTMCell(LSTMCell c) {
        this(c.weightIh, c.weightHh, c.bias, c.inputSize, c.hiddenSize, c.useBias);
    }

    private static LSTMCell init(int in, int hidden, boolean useBias, DType dtype, Array key) {
        Keys.positive("LSTMCell", "inputSize", in);
        Keys.positive("LSTMCell", "hiddenSize", hidden);
        Keys.check("LSTMCell", key);
        Rnn.checkDtype("LSTMCell", dtype);
        double lim = Math.sqrt(1.0 / hidden);
        Array[] k = Prng.split(key, 3);
        Array wih = Prng.uniform(k[0], new int[] {4 * hidden, in}, dtype, -lim, lim);
        Array whh = Prng.uniform(k[1], new int[] {4 * hidden, hidden}, dtype, -lim, lim);
        Array b = useBias ? Prng.uniform(k[2], new int[] {4 * hidden}, dtype, -lim, lim) : null;
        return new LSTMCell(wih, whh, b, in, hidden, useBias);
    }

    /**
     * A zero state of the weights' dtype.
     *
     * {@snippet lang=java :
     * new LSTMCell(3, 5, Prng.key(0)).initialState().c()   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * }
     */
    @Override
    public State initialState() {
        return new State(Jnp.zeros(weightHh.dtype(), hiddenSize), Jnp.zeros(weightHh.dtype(), hiddenSize));
    }

    /**
     * One step.
     *
     * {@snippet lang=java :
     * LSTMCell cell = new LSTMCell(3, 5, Prng.key(0));
     * cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialState()).h()   // float32[5]
     * }
     *
     * @param input {@code [inputSize]}
     * @param hidden the state {@code (h, c)}, each {@code [hiddenSize]}
     * @return the new state
     */
    @Override
    public State apply(Array input, State hidden) {
        Rnn.checkVector("LSTMCell", "input", input, inputSize);
        Rnn.checkVector("LSTMCell", "h", hidden.h(), hiddenSize);
        Rnn.checkVector("LSTMCell", "c", hidden.c(), hiddenSize);
        Array lin = Jnp.add(Jnp.matmul(weightIh, input), Jnp.matmul(weightHh, hidden.h()));
        if (useBias) {
            lin = Jnp.add(lin, bias);
        }
        int n = hiddenSize;
        Array i = Nn.sigmoid(Rnn.part(lin, 0, n));
        Array f = Nn.sigmoid(Rnn.part(lin, 1, n));
        Array g = Jnp.tanh(Rnn.part(lin, 2, n));
        Array o = Nn.sigmoid(Rnn.part(lin, 3, n));
        Array c = Jnp.add(Jnp.multiply(f, hidden.c()), Jnp.multiply(i, g));
        Array h = Jnp.multiply(o, Jnp.tanh(c));
        return new State(h, c);
    }

    /**
     * The state's {@code h}, the LSTM's output.
     *
     * {@snippet lang=java :
     * LSTMCell cell = new LSTMCell(3, 5, Prng.key(0));
     * LSTMCell.State s = cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialState());
     * cell.output(s) == s.h()   // true
     * }
     */
    @Override
    public Array output(State state) {
        return state.h();
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
