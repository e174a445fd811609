package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Nn;
import dev.solstice.Scan;
import dev.solstice.ScanStep;
import java.util.Arrays;
import java.util.List;

/**
 * The CTC forward recursion behind {@link Losses#ctcLoss}: log-space alphas over the blank-extended label
 * sequence {@code [blank, y1, blank, y2, ..., yN, blank]} (length {@code S = 2N + 1}), one {@link Lax#scan} step a
 * frame. As Optax, {@code log(0)} is a large negative constant ({@code logEpsilon}), never {@code -inf}, so every
 * value and derivative stays finite.
 */
final class Ctc {
    private Ctc() {}

    static Array loss(Array logits, Array logitPaddings, Array labels, Array labelPaddings, int blankId, double logEpsilon) {
        check(logits, logitPaddings, labels, labelPaddings, blankId);
        labels = Jnp.astype(labels, DType.INT32); // any integer dtype, as Optax; the gathers take int32
        int batch = logits.shape()[0];
        int frames = logits.shape()[1];
        int n = labels.shape()[1];
        int s = 2 * n + 1;
        Array extended = extended(labels, blankId);                                       // [B, S] int32
        Array emit = Lax.takeAlongAxis(Nn.logSoftmax(logits),                             // [B, T, S]
                Jnp.broadcastTo(Jnp.expandDims(extended, 1), batch, frames, s), 2);
        Array skip = skipAllowed(labels);                                                 // [B, S] bool
        Array pad = Jnp.greater(Jnp.astype(logitPaddings, logits.dtype()), 0.5);         // [B, T] bool
        Array init = Jnp.where(Jnp.equal(Lax.iota(DType.INT32, new int[] {batch, s}, 1), Jnp.zeros(DType.INT32)),
                Jnp.zeros(logits.dtype(), batch, s), logEpsilon);                         // only s = 0 is reachable
        List<Array> xs = List.of(Jnp.transpose(emit, 1, 0, 2), Jnp.transpose(pad));
        Scan<Array, Array> run = Lax.scan((Array alpha, List<Array> x) -> {
            Array shift1 = shiftRight(alpha, 1, logEpsilon);
            Array shift2 = Jnp.where(skip, shiftRight(alpha, 2, logEpsilon), logEpsilon);
            Array next = Jnp.add(Nn.logsumexp(Jnp.stack(List.of(alpha, shift1, shift2), 0), new int[] {0}, false), x.get(0));
            return new ScanStep<>(Jnp.where(Jnp.expandDims(x.get(1), 1), alpha, next), null);
        }, init, xs);
        // the paths end on the last label or the blank after it: positions 2L - 1 and 2L, L the label length
        Array length = Jnp.subtract(Jnp.full(DType.INT32, n), Jnp.sum(Jnp.astype(Jnp.greater(
                Jnp.astype(labelPaddings, logits.dtype()), 0.5), DType.INT32), 1));
        Array position = Lax.iota(DType.INT32, new int[] {batch, s}, 1);
        Array twiceLength = Jnp.expandDims(Jnp.add(length, length), 1);
        Array end = Jnp.logicalOr(Jnp.equal(position, twiceLength),
                Jnp.equal(Jnp.add(position, Jnp.full(DType.INT32, 1)), twiceLength));
        return Jnp.negative(Nn.logsumexp(Jnp.where(end, run.carry(), logEpsilon), new int[] {1}, false));
    }

    /** {@code x} moved {@code by} places along axis 1, {@code fill} entering on the left. */
    private static Array shiftRight(Array x, int by, double fill) {
        int s = x.shape()[1];
        Array left = Jnp.full(x.dtype(), fill, x.shape()[0], Math.min(by, s));
        return by >= s ? left : Jnp.concatenate(List.of(left, Lax.sliceInDim(x, 0, s - by, 1)), 1);
    }

    /** {@code [blank, y1, blank, ..., yN, blank]} for each row of labels. */
    private static Array extended(Array labels, int blankId) {
        int b = labels.shape()[0];
        int n = labels.shape()[1];
        return interleave(Jnp.full(DType.INT32, blankId, b, n), labels, Jnp.full(DType.INT32, blankId, b, 1));
    }

    /** Where the recursion may skip the blank before a label: a label that differs from the one before it. */
    private static Array skipAllowed(Array labels) {
        int b = labels.shape()[0];
        int n = labels.shape()[1];
        Array no = Jnp.astype(Jnp.zeros(DType.INT32, b, 1), DType.BOOL);
        Array differs = Jnp.notEqual(Lax.sliceInDim(labels, 1, n, 1), Lax.sliceInDim(labels, 0, n - 1, 1));
        Array perLabel = Jnp.concatenate(List.of(no, differs), 1);
        return interleave(Jnp.astype(Jnp.zeros(DType.INT32, b, n), DType.BOOL), perLabel, no);
    }

    /** {@code [a0, b0, a1, b1, ..., last]} along axis 1 of {@code [B, N]} arrays {@code a}, {@code b} and {@code last [B, 1]}. */
    private static Array interleave(Array a, Array b, Array last) {
        int rows = a.shape()[0];
        int n = a.shape()[1];
        Array pairs = Jnp.reshape(Jnp.stack(List.of(a, b), 2), rows, 2 * n);
        return Jnp.concatenate(List.of(pairs, last), 1);
    }

    private static void check(Array logits, Array logitPaddings, Array labels, Array labelPaddings, int blankId) {
        String shapes = "logits " + logits.aval().str() + ", logitPaddings " + logitPaddings.aval().str() + ", labels "
                + labels.aval().str() + ", labelPaddings " + labelPaddings.aval().str();
        boolean ok = logits.dtype().isFloating() && logits.ndim() == 3 && labels.dtype().isInteger() && labels.ndim() == 2
                && logits.shape()[0] == labels.shape()[0] && logits.shape()[1] > 0 && labels.shape()[1] > 0
                && Arrays.equals(logitPaddings.shape(), Arrays.copyOf(logits.shape(), 2))
                && Arrays.equals(labelPaddings.shape(), labels.shape());
        if (!ok) {
            throw new IllegalArgumentException("Losses.ctcLoss: needs floating logits [B, T, K] with T > 0, logitPaddings"
                    + " [B, T], integer labels [B, N] with N > 0 and labelPaddings [B, N]; got " + shapes);
        }
        if (blankId < 0 || blankId >= logits.shape()[2]) {
            throw new IllegalArgumentException("Losses.ctcLoss: blankId " + blankId + " is not a class of " + shapes);
        }
    }
}
