package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;

/**
 * One step of a gated recurrent unit (Equinox's {@code eqx.nn.GRUCell}). With {@code W_ih x + b} split into
 * three (reset, update, candidate) parts {@code i_r, i_z, i_n}, and {@code W_hh h} likewise into
 * {@code h_r, h_z, h_n}:
 * <pre>
 * r  = sigmoid(i_r + h_r)
 * z  = sigmoid(i_z + h_z)
 * n  = tanh(i_n + r * (h_n + b_n))
 * h' = n + z * (h - n)
 * </pre>
 * Initialised as Equinox: {@code split(key, 4)} gives the keys of {@code weightIh}, {@code weightHh},
 * {@code bias} and {@code biasN}, each uniform on {@code [-sqrt(1/hidden), sqrt(1/hidden))}.
 *
 * <p>For one example; batch with {@code Jax.vmap}, run over a sequence with {@link Recurrent} (a scan over time). The canonical
 * constructor does not check shapes; the size-based constructors do.
 *
 * {@snippet lang=java :
 * GRUCell cell = new GRUCell(3, 5, Prng.key(0));
 * Array h = cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialState());
 * h   // float32[5]
 * }
 *
 * @param weightIh {@code [3 * hidden, input]}
 * @param weightHh {@code [3 * hidden, hidden]}
 * @param bias {@code [3 * hidden]}, or null without bias
 * @param biasN {@code [hidden]} (the candidate's recurrent bias), or null without bias
 * @param inputSize input size
 * @param hiddenSize hidden size
 * @param useBias whether the biases exist
 */
public record GRUCell(Array weightIh, Array weightHh, Array bias, Array biasN, int inputSize, int hiddenSize, boolean useBias)
        implements RecurrentCell<Array> {

    /** A float32 cell with biases. */
    public GRUCell(int inputSize, int hiddenSize, Array key) {
        this(inputSize, hiddenSize, true, DType.FLOAT32, key);
    }

    /** Every option. */
    public GRUCell(int inputSize, int hiddenSize, boolean useBias, DType dtype, Array key) {
        this(init(inputSize, hiddenSize, useBias, dtype, key));
    }

    private GRUCell(GRUCell c) {
        this(c.weightIh, c.weightHh, c.bias, c.biasN, c.inputSize, c.hiddenSize, c.useBias);
    }

    private static GRUCell init(int in, int hidden, boolean useBias, DType dtype, Array key) {
        Keys.positive("GRUCell", "inputSize", in);
        Keys.positive("GRUCell", "hiddenSize", hidden);
        Keys.check("GRUCell", key);
        Rnn.checkDtype("GRUCell", dtype);
        double lim = Math.sqrt(1.0 / hidden);
        Array[] k = Prng.split(key, 4);
        Array wih = Prng.uniform(k[0], new int[] {3 * hidden, in}, dtype, -lim, lim);
        Array whh = Prng.uniform(k[1], new int[] {3 * hidden, hidden}, dtype, -lim, lim);
        Array b = useBias ? Prng.uniform(k[2], new int[] {3 * hidden}, dtype, -lim, lim) : null;
        Array bn = useBias ? Prng.uniform(k[3], new int[] {hidden}, dtype, -lim, lim) : null;
        return new GRUCell(wih, whh, b, bn, in, hidden, useBias);
    }

    /**
     * A zero hidden state of the weights' dtype.
     *
     * {@snippet lang=java :
     * new GRUCell(3, 5, Prng.key(0)).initialHidden()   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * }
     */
    public Array initialHidden() {
        return Jnp.zeros(weightHh.dtype(), hiddenSize);
    }

    /**
     * The zero hidden state, as {@link #initialHidden()}.
     *
     * {@snippet lang=java :
     * new GRUCell(3, 5, Prng.key(0)).initialState()   // Array(float32[5], [0.0, 0.0, 0.0, 0.0, 0.0])
     * }
     */
    @Override
    public Array initialState() {
        return initialHidden();
    }

    /**
     * The state itself: a GRU's state is its hidden vector.
     *
     * {@snippet lang=java :
     * GRUCell cell = new GRUCell(3, 5, Prng.key(0));
     * cell.output(Array.of(1f, 2f, 3f, 4f, 5f))   // Array(float32[5], [1.0, 2.0, 3.0, 4.0, 5.0])
     * }
     */
    @Override
    public Array output(Array state) {
        return state;
    }

    /**
     * One step.
     *
     * {@snippet lang=java :
     * GRUCell cell = new GRUCell(3, 5, Prng.key(0));
     * cell.apply(Jnp.ones(DType.FLOAT32, 3), cell.initialHidden())   // float32[5]
     * }
     *
     * @param input {@code [inputSize]}
     * @param hidden {@code [hiddenSize]}
     * @return the new hidden state {@code [hiddenSize]}
     */
    @Override
    public Array apply(Array input, Array hidden) {
        Rnn.checkVector("GRUCell", "input", input, inputSize);
        Rnn.checkVector("GRUCell", "hidden", hidden, hiddenSize);
        Array ig = Jnp.matmul(weightIh, input);
        if (useBias) {
            ig = Jnp.add(ig, bias);
        }
        Array hg = Jnp.matmul(weightHh, hidden);
        int n = hiddenSize;
        Array reset = Nn.sigmoid(Jnp.add(Rnn.part(ig, 0, n), Rnn.part(hg, 0, n)));
        Array update = Nn.sigmoid(Jnp.add(Rnn.part(ig, 1, n), Rnn.part(hg, 1, n)));
        Array hn = Rnn.part(hg, 2, n);
        if (useBias) {
            hn = Jnp.add(hn, biasN);
        }
        Array cand = Jnp.tanh(Jnp.add(Rnn.part(ig, 2, n), Jnp.multiply(reset, hn)));
        return Jnp.add(cand, Jnp.multiply(update, Jnp.subtract(hidden, cand)));
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
