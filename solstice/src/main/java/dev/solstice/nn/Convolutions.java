package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import java.util.Arrays;

/**
 * What the convolution layers share: Equinox's initialisation, the forward pass through
 * {@code Lax.convGeneralDilated} on one unbatched example, and the non-zero padding modes.
 */
final class Convolutions {
    private Convolutions() {}

    /** Weight [out, in/groups, kernel...] and bias [out, 1...], uniform on +-1/sqrt(in/groups * prod(kernel)), keys split(key, 2). */
    static Array[] init(String layer, int in, int out, int[] kernel, int groups, boolean useBias, DType dtype, Array key) {
        Keys.check(layer, key);
        Keys.positive(layer, "in channels", in);
        Keys.positive(layer, "out channels", out);
        Keys.positive(layer, "groups", groups);
        for (int k : kernel) {
            Keys.positive(layer, "kernel size", k);
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": groups (" + groups + ") must divide the in channels (" + in
                    + ") and the out channels (" + out + ")");
        }
        int fanIn = in / groups;
        for (int k : kernel) {
            fanIn *= k;
        }
        double lim = 1 / Math.sqrt(fanIn);
        int[] wShape = new int[kernel.length + 2];
        wShape[0] = out;
        wShape[1] = in / groups;
        System.arraycopy(kernel, 0, wShape, 2, kernel.length);
        int[] bShape = new int[kernel.length + 1];
        Arrays.fill(bShape, 1);
        bShape[0] = out;
        Array[] k = Prng.split(key, 2);
        Array w = Prng.uniform(k[0], wShape, dtype, -lim, lim);
        Array b = useBias ? Prng.uniform(k[1], bShape, dtype, -lim, lim) : null;
        return new Array[] {w, b};
    }

    /** The convolution of one example {@code x} [in, spatial...]. */
    static Array apply(String layer, Array weight, Array bias, ConvSpec spec, Array x) {
        int n = weight.ndim() - 2;
        checkInput(layer, weight, spec, x, n);
        int[] spatial = Arrays.copyOfRange(x.shape(), 1, x.ndim());
        int[] kernel = Arrays.copyOfRange(weight.shape(), 2, weight.ndim());
        int[][] pads = spec.padding().resolve(layer, spatial, kernel, spec.dilation(), spec.stride());
        for (int d = 0; d < n; d++) {
            int span = spec.dilation()[d] * (kernel[d] - 1) + 1;
            if (span > spatial[d] + pads[0][d] + pads[1][d]) {
                throw new IllegalArgumentException(layer + ": the kernel " + Arrays.toString(kernel) + " (dilation "
                        + Arrays.toString(spec.dilation()) + ") is larger than the padded input " + x.aval().str()
                        + " along spatial axis " + d);
            }
        }
        Array v = x;
        int[] lo = pads[0];
        int[] hi = pads[1];
        if (!spec.paddingMode().equals("ZEROS")) {
            v = padWithMode(layer, x, lo, hi, spec.paddingMode());
            lo = new int[n];
            hi = new int[n];
        }
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        Array y = Lax.convGeneralDilated(Lax.expandDims(v, 0), weight, spec.stride(), lo, hi, ones, spec.dilation(), spec.groups());
        y = Lax.squeeze(y, 0);
        return bias == null ? y : Jnp.add(y, bias);
    }

    /**
     * The transposed convolution of one example, computed as Equinox's ConvTranspose: the input dilated by
     * the strides and convolved with the kernel as it is (not flipped, unlike PyTorch), padded by
     * {@code dilation*(kernel-1) - padding} on each side (Relationship 14 of Dumoulin and Visin,
     * arXiv:1603.07285) plus the output padding after. With the weight of a one-group Conv flipped along its spatial
     * axes and its first two axes swapped, this is the transpose (vjp) of that Conv.
     */
    static Array applyTransposed(String layer, Array weight, Array bias, ConvSpec spec, Array x) {
        int n = weight.ndim() - 2;
        checkInput(layer, weight, spec, x, n);
        checkTransposed(layer, spec, n);
        int[][] pads = transposedPadding(Arrays.copyOfRange(weight.shape(), 2, weight.ndim()), spec);
        Array v = x;
        if (spec.paddingMode().equals("CIRCULAR")) {
            // the wrap-around of the Conv's circular padding: whole strides of it wrap the input, the rest is zeros
            int[][] wrap = new int[2][n];
            for (int side = 0; side < 2; side++) {
                for (int d = 0; d < n; d++) {
                    wrap[side][d] = Math.floorDiv(pads[side][d], spec.stride()[d]);
                    pads[side][d] = Math.floorMod(pads[side][d], spec.stride()[d]);
                }
            }
            v = padWithMode(layer, x, wrap[0], wrap[1], "CIRCULAR");
        }
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        Array y = Lax.convGeneralDilated(Lax.expandDims(v, 0), weight, ones, pads[0], pads[1], spec.stride(),
                spec.dilation(), spec.groups());
        y = Lax.squeeze(y, 0);
        return bias == null ? y : Jnp.add(y, bias);
    }

    /**
     * {@code {lo, hi}} padding of the dilated input of a transposed convolution. SAME and SAME_LOWER take the
     * padding that the equivalent SAME Conv uses on an input of {@code stride * length - outputPadding}; when
     * that padding would be negative its deficit becomes the output padding.
     */
    private static int[][] transposedPadding(int[] kernel, ConvSpec spec) {
        int n = kernel.length;
        Padding padding = spec.padding();
        int[][] pads = new int[2][n];
        for (int d = 0; d < n; d++) {
            int span = spec.dilation()[d] * (kernel[d] - 1);
            int extra = spec.outputPadding()[d];
            int before;
            int after;
            if (padding.mode() == null) {
                before = padding.lo()[d];
                after = padding.hi()[d];
            } else if (padding.mode().equals("VALID")) {
                before = 0;
                after = 0;
            } else {
                int total = span - spec.stride()[d] + extra + 1;
                extra = Math.max(-total, 0);
                total = Math.max(total, 0);
                before = (total + (padding.mode().equals("SAME_LOWER") ? 1 : 0)) / 2;
                after = total - before;
            }
            pads[0][d] = span - before;
            pads[1][d] = span - after + extra;
        }
        return pads;
    }

    /** A transposed convolution's spec for {@code n} spatial axes: single values repeated per axis, then checked. */
    static ConvSpec transposedSpec(String layer, ConvSpec s, int n) {
        ConvSpec spec = new ConvSpec(perAxis(layer, "stride", s.stride(), n), s.padding(), perAxis(layer, "dilation", s.dilation(), n),
                s.groups(), s.paddingMode(), perAxis(layer, "output padding", s.outputPadding(), n));
        checkTransposed(layer, spec, n);
        return spec;
    }

    /** What Equinox's ConvTranspose accepts: output padding below the stride; CIRCULAR only as documented there. */
    private static void checkTransposed(String layer, ConvSpec spec, int n) {
        Padding padding = spec.padding();
        if (padding.mode() == null && padding.lo().length != n) {
            throw new IllegalArgumentException(layer + ": padding has " + padding.lo().length + " axes but the layer has " + n
                    + " spatial axes");
        }
        boolean zeroOutputPadding = true;
        for (int d = 0; d < n; d++) {
            int a = spec.outputPadding()[d];
            if (a < 0 || a >= spec.stride()[d]) {
                throw new IllegalArgumentException(layer + ": output padding must be non-negative and smaller than the stride"
                        + " on every axis, got output padding " + Arrays.toString(spec.outputPadding()) + " and stride "
                        + Arrays.toString(spec.stride()));
            }
            zeroOutputPadding &= a == 0;
        }
        switch (spec.paddingMode()) {
            case "ZEROS" -> { }
            case "CIRCULAR" -> {
                boolean same = "SAME".equals(padding.mode()) || "SAME_LOWER".equals(padding.mode());
                if (!same || !zeroOutputPadding) {
                    throw new IllegalArgumentException(layer + ": CIRCULAR padding mode is implemented (as in Equinox) only with"
                            + " SAME or SAME_LOWER padding and zero output padding, got " + padding + " and output padding "
                            + Arrays.toString(spec.outputPadding()));
                }
            }
            default -> throw new IllegalArgumentException(layer + ": padding mode " + spec.paddingMode() + " is not implemented for"
                    + " transposed convolutions (as in Equinox); use ZEROS or CIRCULAR");
        }
    }

    private static void checkInput(String layer, Array weight, ConvSpec spec, Array x, int n) {
        int in = weight.shape()[1] * spec.groups();
        if (x.ndim() != n + 1 || x.shape()[0] != in) {
            throw new IllegalArgumentException(layer + ": expected one example of shape [" + in + ", " + n
                    + " spatial axes], got " + x.aval().str() + " (use Jax.vmap for a batch)");
        }
    }

    /** Pads the spatial axes of {@code x} [C, spatial...] by REFLECT, REPLICATE or CIRCULAR, as numpy's pad modes. */
    static Array padWithMode(String layer, Array x, int[] lo, int[] hi, String mode) {
        Array v = x;
        for (int d = 0; d < lo.length; d++) {
            int axis = d + 1;
            int len = v.shape()[axis];
            Array before;
            Array after;
            switch (mode) {
                case "REPLICATE" -> {
                    before = repeat(Lax.sliceInDim(v, 0, 1, axis), axis, lo[d]);
                    after = repeat(Lax.sliceInDim(v, len - 1, len, axis), axis, hi[d]);
                }
                case "REFLECT" -> {
                    if (lo[d] >= len || hi[d] >= len) {
                        throw new IllegalArgumentException(layer + ": REFLECT padding of " + Math.max(lo[d], hi[d])
                                + " needs more than that many elements along spatial axis " + d + ", got " + len);
                    }
                    before = Lax.rev(Lax.sliceInDim(v, 1, lo[d] + 1, axis), axis);
                    after = Lax.rev(Lax.sliceInDim(v, len - 1 - hi[d], len - 1, axis), axis);
                }
                case "CIRCULAR" -> {
                    if (lo[d] > len || hi[d] > len) {
                        throw new IllegalArgumentException(layer + ": CIRCULAR padding larger than the axis (" + len + ")");
                    }
                    before = Lax.sliceInDim(v, len - lo[d], len, axis);
                    after = Lax.sliceInDim(v, 0, hi[d], axis);
                }
                default -> throw new IllegalStateException(mode);
            }
            v = Lax.concatenate(axis, before, v, after);
        }
        return v;
    }

    private static Array repeat(Array edge, int axis, int times) {
        int[] shape = edge.shape();
        shape[axis] = times;
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i;
        }
        return Lax.broadcastInDim(edge, shape, dims);
    }

    /** {@code v} repeated {@code n} times, or {@code v} itself when it already has {@code n} entries. */
    static int[] perAxis(String layer, String what, int[] v, int n) {
        if (v.length == n) {
            return v.clone();
        }
        if (v.length == 1) {
            int[] r = new int[n];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(layer + ": " + what + " needs 1 or " + n + " values, got " + Arrays.toString(v));
    }
}
