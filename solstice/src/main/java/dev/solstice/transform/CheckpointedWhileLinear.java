package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.TangentOnly;
import dev.solstice.core.Zero;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The tangent map of a {@link CheckpointedWhile}. Operands: the loop's operands, the forward pass's residuals
 * (number of steps, the slots' steps, one buffer per carry), then the tangents of the differentiated body captures
 * and carries ({@code nz}, captures first); outputs: the tangents of the differentiated carries. Transposed
 * (reverse mode), it is the treeverse backward pass from the checkpoints; evaluated (forward mode, forward over
 * forward), it is the plain while loop's JVP from the initial carry, so it is linear in the tangents and
 * differentiable in the primal operands, and Hessians (forward over reverse) differentiate the backward loop.
 *
 * @param loop the checkpointed loop
 * @param nz which body captures then carries are differentiated
 */
public record CheckpointedWhileLinear(CheckpointedWhile loop, boolean[] nz) implements TangentOnly {

    @Override
    public String name() {
        return "checkpointed_while_linear";
    }

    private While plain() {
        return loop.loop();
    }

    private int numPrimals() {
        While w = plain();
        return w.condConsts() + w.bodyConsts() + w.numCarries();
    }

    private int numResiduals() {
        return numPrimals() + 2 + plain().numCarries();
    }

    /** The differentiated carries: the outputs' positions among the carries. */
    int[] outputs() {
        int nb = plain().bodyConsts();
        return IntStream.range(0, plain().numCarries()).filter(j -> nz[nb + j]).toArray();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        int live = (int) IntStream.range(0, nz.length).filter(i -> nz[i]).count();
        if (in.length != numResiduals() + live) {
            throw new IllegalArgumentException(name() + ": expects " + (numResiduals() + live) + " operands, got "
                    + in.length);
        }
        int first = plain().condConsts() + plain().bodyConsts();
        return Arrays.stream(outputs()).mapToObj(j -> in[first + j]).toArray(Aval[]::new);
    }

    /** The tangents forward: the plain loop's JVP (its primal recomputed from the initial carry). */
    private Array[] forward(Array[] ops) {
        int nc = plain().condConsts();
        int n = numPrimals();
        Array[] primals = Arrays.copyOf(ops, n);
        Array[] tangents = new Array[n];
        int k = numResiduals();
        for (int i = 0; i < n; i++) {
            boolean live = i >= nc && nz[i - nc];
            tangents[i] = live ? ops[k++] : Zero.like(ops[i]);
        }
        Array[] t = WhileRules.jvp(plain(), primals, tangents)[1];
        return Arrays.stream(outputs()).mapToObj(j -> Zero.instantiate(t[j])).toArray(Array[]::new);
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return Arrays.stream(forward(in)).map(Array::concrete).toArray(DenseArray[]::new);
    }

    /** Forward mode through the forward evaluation, itself ordinary operations (a while of JVPs). */
    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        JvpInterpreter jvp = new JvpInterpreter(Interpreters.current());
        Array[] in = new Array[primals.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = jvp.lift(primals[i], tangents[i]);
        }
        Array[] out = Interpreters.runWith(jvp, () -> forward(in));
        Array[][] r = new Array[2][out.length];
        for (int i = 0; i < out.length; i++) {
            r[0][i] = jvp.primalOf(out[i]);
            r[1][i] = jvp.tangentOf(out[i]);
        }
        return r;
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return jvpWithPrimal(primals, tangents)[1];
    }

    /** Forward evaluation of a batch (vmap of jvp, jacfwd): the plain loop's JVP, vectorised. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array[] outs = Vectorize.vmap("vmap of " + name(), this::forward, vals, dims, axisSize, o -> 0);
        return new Batched(outs, new int[outs.length]);
    }

    /** The treeverse backward pass; the primal operands and residuals get zero cotangents. */
    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        int n = numPrimals();
        int m = plain().numCarries();
        Array[] primals = Arrays.copyOf(args, n);
        TreeverseForward.Result fwd = new TreeverseForward.Result(null, args[n], args[n + 1],
                Arrays.copyOfRange(args, n + 2, n + 2 + m));
        Array[] inCts = TreeverseBackward.run(plain(), loop.checkpoints(), nz, primals, fwd, Zero.instantiateAll(cts));
        Array[] out = new Array[args.length];
        for (int i = 0; i < numResiduals(); i++) {
            out[i] = Zero.of(args[i].aval());
        }
        System.arraycopy(inCts, 0, out, numResiduals(), inCts.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointedWhileLinear l && l.loop.equals(loop) && Arrays.equals(l.nz, nz);
    }

    @Override
    public int hashCode() {
        return loop.hashCode() * 31 + Arrays.hashCode(nz);
    }

    @Override
    public String toString() {
        return name() + "(" + loop + ")";
    }
}
