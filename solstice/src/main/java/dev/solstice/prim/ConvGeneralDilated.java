package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;
import java.util.Arrays;

/**
 * General dilated convolution (XLA's ConvGeneralDilated, JAX's {@code lax.conv_general_dilated}) in one fixed
 * layout: the input ({@code lhs}) is {@code [N, C, spatial...]} (NCHW), the kernel ({@code rhs}) is
 * {@code [O, C / featureGroupCount, window...]} (OIHW) and the result is {@code [N, O, spatial'...]}; any
 * number of spatial axes (1, 2, 3, even 0). Other layouts are a transpose away.
 *
 * <p>Along spatial axis {@code d}, the input is first dilated by {@code lhsDilation[d]} (that many minus one
 * zeros between neighbours: transposed convolution), padded with {@code paddingLo[d]} zeros before and
 * {@code paddingHi[d]} after (negative padding crops, as in XLA), and the kernel is dilated by
 * {@code rhsDilation[d]} (atrous convolution). With {@code L = (in-1)*lhsDilation+1 + lo + hi} and
 * {@code K = (window-1)*rhsDilation+1}, the result has {@code max(0, floor((L - K) / stride) + 1)} positions.
 * Channels are split into {@code featureGroupCount} groups; output channel group {@code g} sees input
 * channel group {@code g} only, so {@code C} and {@code O} must both be divisible by the group count.
 *
 * <p>Bilinear: linear in each operand when the other is a constant. The transpose rules are JAX's: the input
 * cotangent is a convolution of the cotangent with the spatially flipped kernel, its in and out channels
 * swapped group by group, input dilation = the strides; the kernel cotangent is a convolution of the input
 * (channels as batch) with the cotangent (batch as channels), group by group.
 *
 * @param windowStrides step of the window per spatial axis (positive)
 * @param paddingLo padding before each spatial axis
 * @param paddingHi padding after each spatial axis
 * @param lhsDilation input dilation per spatial axis (positive)
 * @param rhsDilation kernel dilation per spatial axis (positive)
 * @param featureGroupCount number of channel groups (positive)
 */
public record ConvGeneralDilated(int[] windowStrides, int[] paddingLo, int[] paddingHi, int[] lhsDilation,
        int[] rhsDilation, int featureGroupCount) implements Primitive {

    /** Copies the arrays, which records would otherwise share. */
    public ConvGeneralDilated {
        windowStrides = windowStrides.clone();
        paddingLo = paddingLo.clone();
        paddingHi = paddingHi.clone();
        lhsDilation = lhsDilation.clone();
        rhsDilation = rhsDilation.clone();
    }

    /** A plain convolution: the given strides and padding, no dilation, one group. */
    public static ConvGeneralDilated of(int[] strides, int[] paddingLo, int[] paddingHi) {
        int[] ones = new int[strides.length];
        Arrays.fill(ones, 1);
        return new ConvGeneralDilated(strides, paddingLo, paddingHi, ones, ones, 1);
    }

    /** The length of an axis of {@code n} elements dilated by {@code d}: {@code (n-1)*d+1}, or 0 when empty. */
    static int dilate(int n, int d) {
        return n == 0 ? 0 : (n - 1) * d + 1;
    }

    private String params() {
        return " (strides " + Arrays.toString(windowStrides) + ", padding lo " + Arrays.toString(paddingLo) + " hi "
                + Arrays.toString(paddingHi) + ", lhs dilation " + Arrays.toString(lhsDilation) + ", rhs dilation "
                + Arrays.toString(rhsDilation) + ", feature groups " + featureGroupCount + ")";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 2);
        Aval x = in[0];
        Aval w = in[1];
        if (x.dtype() != w.dtype() || x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " need one numeric dtype" + params());
        }
        if (x.rank() < 2 || w.rank() != x.rank()) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " must be an input [N, C, spatial...]"
                    + " and a kernel [O, C/groups, window...] of the same rank (at least 2)" + params());
        }
        int sp = x.rank() - 2;
        if (windowStrides.length != sp || paddingLo.length != sp || paddingHi.length != sp || lhsDilation.length != sp
                || rhsDilation.length != sp) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " have " + sp
                    + " spatial axes; strides, paddings and dilations need one entry each" + params());
        }
        for (int d = 0; d < sp; d++) {
            if (windowStrides[d] < 1 || lhsDilation[d] < 1 || rhsDilation[d] < 1) {
                throw new IllegalArgumentException(name() + ": strides and dilations must be positive, for operands "
                        + Shapes.str(in) + params());
            }
        }
        int g = featureGroupCount;
        int c = x.dim(1);
        int o = w.dim(0);
        if (g < 1 || c % g != 0 || o % g != 0 || w.dim(1) * g != c) {
            throw new IllegalArgumentException(name() + ": with " + g + " feature group(s) the input's " + c
                    + " channels and the kernel's " + o + " output channels must be divisible by the group count and the"
                    + " kernel's axis 1 must be channels/groups = " + (g >= 1 ? c / g : "?") + "; got " + Shapes.str(in) + params());
        }
        int[] out = new int[x.rank()];
        out[0] = x.dim(0);
        out[1] = o;
        for (int d = 0; d < sp; d++) {
            long padded = (long) dilate(x.dim(2 + d), lhsDilation[d]) + paddingLo[d] + paddingHi[d];
            long window = dilate(w.dim(2 + d), rhsDilation[d]);
            out[2 + d] = (int) Math.max(0, Math.floorDiv(padded - window, windowStrides[d]) + 1);
        }
        return new Aval[] {new Aval(x.dtype(), out)};
    }

    /**
     * Evaluation by im2col: the kernels gather the input's patches into a [groups, C/groups * window,
     * N * positions] matrix (padding and dilation holes read a zero), multiply the kernel seen as
     * [groups, O/groups, C/groups * window] by it, and the result's axes are put in order.
     */
    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval w = in[1].aval();
        Aval outAval = outAvals[0];
        int n = x.dim(0);
        int g = featureGroupCount;
        int cg = x.dim(1) / g;
        int o = w.dim(0);
        int og = o / g;
        int[] win = Arrays.copyOfRange(w.shape(), 2, w.rank());
        int[] outSp = Arrays.copyOfRange(outAval.shape(), 2, outAval.rank());
        int k = Shapes.size(win);
        int p = Shapes.size(outSp);
        int rows = cg * k;
        int cols = n * p;
        Kernels kernels = Kernels.get();
        DenseArray patches = kernels.im2col(in[0], g, win, outSp, windowStrides, paddingLo, lhsDilation, rhsDilation,
                new Aval(x.dtype(), g, rows, cols));
        DenseArray kernel = in[1].withShape(g, og, rows);
        DenseArray product = kernels.batchedMatmul(kernel, patches, g, og, rows, cols, new Aval(x.dtype(), g, og, n, p));
        DenseArray ordered = Transpose.permuted(product, new int[] {2, 0, 1, 3});
        return new DenseArray[] {ordered.withShape(outAval.shape())};
    }

    private Array conv(Array lhs, Array rhs) {
        return Ops.convGeneralDilated(lhs, rhs, windowStrides, paddingLo, paddingHi, lhsDilation, rhsDilation,
                featureGroupCount);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array l = Tangents.unlessZero(tangents[0], outs[0], () -> conv(tangents[0], primals[1]));
        Array r = Tangents.unlessZero(tangents[1], outs[0], () -> conv(primals[0], tangents[1]));
        return new Array[] {Tangents.add(l, r)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        if (args[0] instanceof UndefinedPrimal && args[1] instanceof UndefinedPrimal) {
            throw new IllegalStateException(name() + ": both operands are linear, so the convolution is not linear");
        }
        Array ct = cts[0];
        return new Array[] {Tangents.ifLinear(args[0], () -> transposeLhs(ct, args[0].aval(), args[1])),
            Tangents.ifLinear(args[1], () -> transposeRhs(ct, args[0], args[1].aval()))};
    }

    /** JAX's {@code _conv_general_dilated_transpose_lhs}. */
    private Array transposeLhs(Array ct, Aval lhs, Array rhs) {
        int sp = lhs.rank() - 2;
        if (ct.size() == 0 || lhs.size() == 0) {
            return Zero.of(lhs);
        }
        int g = featureGroupCount;
        int o = rhs.shape()[0];
        int cg = rhs.shape()[1];
        int[] win = Arrays.copyOfRange(rhs.shape(), 2, rhs.ndim());
        Array kernel = rhs;
        if (g > 1) {
            // [O, C/g, win] -> [g, O/g, C/g, win] -> [g, C/g, O/g, win] -> [C, O/g, win]
            kernel = Ops.reshape(kernel, concat(new int[] {g, o / g, cg}, win));
            int[] perm = new int[kernel.ndim()];
            perm[0] = 0;
            perm[1] = 2;
            perm[2] = 1;
            for (int d = 3; d < perm.length; d++) {
                perm[d] = d;
            }
            kernel = Ops.transpose(kernel, perm);
            kernel = Ops.reshape(kernel, concat(new int[] {g * cg, o / g}, win));
        } else {
            int[] perm = new int[kernel.ndim()];
            perm[0] = 1;
            perm[1] = 0;
            for (int d = 2; d < perm.length; d++) {
                perm[d] = d;
            }
            kernel = Ops.transpose(kernel, perm);
        }
        int[] spatialAxes = new int[sp];
        for (int d = 0; d < sp; d++) {
            spatialAxes[d] = 2 + d;
        }
        kernel = Ops.rev(kernel, spatialAxes);
        int[] lo = new int[sp];
        int[] hi = new int[sp];
        for (int d = 0; d < sp; d++) {
            int lhsDilated = dilate(lhs.dim(2 + d), lhsDilation[d]);
            int rhsDilated = dilate(win[d], rhsDilation[d]);
            int outDilated = dilate(ct.shape()[2 + d], windowStrides[d]);
            lo[d] = rhsDilated - paddingLo[d] - 1;
            hi[d] = lhsDilated + rhsDilated - 1 - outDilated - lo[d];
        }
        Array r = Ops.convGeneralDilated(ct, kernel, lhsDilation, lo, hi, windowStrides, rhsDilation, g);
        return r;
    }

    /** JAX's {@code _conv_general_dilated_transpose_rhs}, one feature group at a time. */
    private Array transposeRhs(Array ct, Array lhs, Aval rhs) {
        int sp = rhs.rank() - 2;
        if (ct.size() == 0 || rhs.size() == 0) {
            return Zero.of(rhs);
        }
        int g = featureGroupCount;
        int cg = rhs.dim(1);
        int og = rhs.dim(0) / g;
        int[] lo = new int[sp];
        int[] hi = new int[sp];
        for (int d = 0; d < sp; d++) {
            int lhsDilated = dilate(lhs.shape()[2 + d], lhsDilation[d]);
            int rhsDilated = dilate(rhs.dim(2 + d), rhsDilation[d]);
            int outDilated = dilate(ct.shape()[2 + d], windowStrides[d]);
            lo[d] = paddingLo[d];
            hi[d] = outDilated - lhsDilated + rhsDilated - paddingLo[d] - 1;
        }
        int[] swap = new int[sp + 2];
        swap[0] = 1;
        swap[1] = 0;
        for (int d = 2; d < swap.length; d++) {
            swap[d] = d;
        }
        Array[] parts = new Array[g];
        for (int gi = 0; gi < g; gi++) {
            Array lhsG = g == 1 ? lhs : channels(lhs, gi * cg, (gi + 1) * cg);
            Array ctG = g == 1 ? ct : channels(ct, gi * og, (gi + 1) * og);
            Array r = Ops.convGeneralDilated(Ops.transpose(lhsG, swap), Ops.transpose(ctG, swap), rhsDilation, lo, hi,
                    lhsDilation, windowStrides, 1);
            parts[gi] = Ops.transpose(r, swap);
        }
        return g == 1 ? parts[0] : Ops.concatenate(0, parts);
    }

    /** Axis-1 entries {@code from..to-1} of {@code x}. */
    private static Array channels(Array x, int from, int to) {
        int[] start = new int[x.ndim()];
        int[] limit = x.shape();
        int[] strides = new int[x.ndim()];
        Arrays.fill(strides, 1);
        start[1] = from;
        limit[1] = to;
        return Ops.slice(x, start, limit, strides);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * Batching (JAX's rule): a batched input folds the batch into N; a batched kernel folds it into the output
     * channels, inside each feature group; both batched fold it into the feature groups (input channels and
     * output channels, batch-major). An empty batch goes through the per-example rule.
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        if (axisSize == 0) {
            return BatchRules.byLoop(this, vals, dims, axisSize);
        }
        int b = axisSize;
        boolean lb = dims[0] != Batched.NOT_BATCHED;
        boolean rb = dims[1] != Batched.NOT_BATCHED;
        int g = featureGroupCount;
        if (lb && !rb) {
            Array x = BatchRules.moveAxis(vals[0], dims[0], 0);
            int[] s = x.shape();
            Array folded = Ops.reshape(x, concat(new int[] {b * s[1]}, Arrays.copyOfRange(s, 2, s.length)));
            Array out = conv(folded, vals[1]);
            int[] os = out.shape();
            return Batched.of(Ops.reshape(out, concat(new int[] {b, s[1]}, Arrays.copyOfRange(os, 1, os.length))), 0);
        }
        if (!lb) {
            Array w = BatchRules.moveAxis(vals[1], dims[1], 0);
            int[] s = w.shape(); // [B, O, C/g, win...]
            int o = s[1];
            int[] win = Arrays.copyOfRange(s, 3, s.length);
            // [B, g, O/g, C/g, win] -> [g, B, O/g, C/g, win] -> [g*B*O/g, C/g, win]
            Array split = Ops.reshape(w, concat(new int[] {b, g, o / g, s[2]}, win));
            Array moved = BatchRules.moveAxis(split, 1, 0);
            Array kernel = Ops.reshape(moved, concat(new int[] {g * b * (o / g), s[2]}, win));
            Array out = conv(vals[0], kernel); // [N, g*B*O/g, sp']
            int[] os = out.shape();
            int[] osp = Arrays.copyOfRange(os, 2, os.length);
            Array unfolded = Ops.reshape(out, concat(new int[] {os[0], g, b, o / g}, osp));
            Array back = BatchRules.moveAxis(unfolded, 2, 1); // [N, B, g, O/g, sp']
            return Batched.of(Ops.reshape(back, concat(new int[] {os[0], b, o}, osp)), 1);
        }
        Array x = BatchRules.moveAxis(vals[0], dims[0], 1); // [N, B, C, sp]
        int[] xs = x.shape();
        Array lhs = Ops.reshape(x, concat(new int[] {xs[0], b * xs[2]}, Arrays.copyOfRange(xs, 3, xs.length)));
        Array w = BatchRules.moveAxis(vals[1], dims[1], 0); // [B, O, C/g, win]
        int[] ws = w.shape();
        Array rhs = Ops.reshape(w, concat(new int[] {b * ws[1]}, Arrays.copyOfRange(ws, 2, ws.length)));
        Array out = Ops.convGeneralDilated(lhs, rhs, windowStrides, paddingLo, paddingHi, lhsDilation, rhsDilation, b * g);
        int[] os = out.shape();
        return Batched.of(Ops.reshape(out, concat(new int[] {os[0], b, ws[1]}, Arrays.copyOfRange(os, 2, os.length))), 1);
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConvGeneralDilated other && Arrays.equals(windowStrides, other.windowStrides)
                && Arrays.equals(paddingLo, other.paddingLo) && Arrays.equals(paddingHi, other.paddingHi)
                && Arrays.equals(lhsDilation, other.lhsDilation) && Arrays.equals(rhsDilation, other.rhsDilation)
                && featureGroupCount == other.featureGroupCount;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {windowStrides, paddingLo, paddingHi, lhsDilation, rhsDilation})
                * 31 + featureGroupCount;
    }

    @Override
    public String toString() {
        return "ConvGeneralDilated[windowStrides=" + Arrays.toString(windowStrides) + ", paddingLo="
                + Arrays.toString(paddingLo) + ", paddingHi=" + Arrays.toString(paddingHi) + ", lhsDilation="
                + Arrays.toString(lhsDilation) + ", rhsDilation=" + Arrays.toString(rhsDilation)
                + ", featureGroupCount=" + featureGroupCount + "]";
    }
}
