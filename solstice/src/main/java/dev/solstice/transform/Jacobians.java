package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.Shapes;
import dev.solstice.prim.Ops;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Jacobians of tree functions, by forward mode (the JVP vectorised over the standard basis of the inputs)
 * or reverse mode (the pullback vectorised over the standard basis of each output): the machinery behind
 * {@code Jax.jacfwd}, {@code Jax.jacrev}, {@code Jax.hessian} and their filtered forms in {@code Eqx}.
 */
public final class Jacobians {
    private Jacobians() {}

    /**
     * The Jacobian of {@code f} with respect to the leaves {@code split} selects in its argument, in JAX's
     * layout: {@link Blocks#tree()}.
     *
     * @param split {@link MaskedLeaves#all} or {@link MaskedLeaves#inexact}
     * @param forward forward mode (one JVP per input element) or reverse mode (one pullback per output element)
     */
    public static <T> Function<T, Object> of(String op, Function<T, ?> f, BiFunction<String, Object, MaskedLeaves> split,
            boolean forward) {
        return x -> blocks(op, f, split, forward, x).tree();
    }

    /**
     * The Jacobian of {@code f} at {@code x} with respect to the leaves {@code split} selects, block by block.
     *
     * @param split {@link MaskedLeaves#all} or {@link MaskedLeaves#inexact}
     * @param forward forward mode (one JVP per input element) or reverse mode (one pullback per output element)
     */
    public static Blocks blocks(String op, Function<?, ?> f, BiFunction<String, Object, MaskedLeaves> split,
            boolean forward, Object x) {
        MaskedLeaves in = split.apply(op, x);
        OutputTree out = new OutputTree();
        @SuppressWarnings("unchecked")
        Function<Array[], Array[]> flat = in.over(op, (Function<Object, ?>) f, out);
        Array[] primals = in.selected();
        Array[][] blocks = forward ? forwardBlocks(op, flat, primals) : reverseBlocks(op, flat, primals);
        return new Blocks(in, out.def(), blocks);
    }

    /**
     * A Jacobian block by block.
     *
     * @param in the input, with the leaves differentiated
     * @param outDef the output's structure
     * @param blocks [output leaf][selected input leaf], each of shape {@code out + in}
     */
    public record Blocks(MaskedLeaves in, TreeDef outDef, Array[][] blocks) {
        /**
         * JAX's layout: a tree of the output's structure whose leaves are trees of the input's structure
         * ({@link MaskedLeaves#scatter}: {@code null} at leaves not selected). A record that cannot hold those
         * trees becomes a {@link dev.solstice.tree.Struct} of the same shape.
         */
        public Object tree() {
            List<Object> rows = new ArrayList<>();
            for (Array[] row : blocks) {
                rows.add(in.scatter(row));
            }
            return Tree.unflatten(outDef, rows);
        }
    }

    /**
     * Jacobian blocks [output leaf][input leaf] in one batched pass: the JVP vectorised (vmap) over the
     * standard basis of the inputs.
     */
    private static Array[][] forwardBlocks(String op, Function<Array[], Array[]> f, Array[] x) {
        int total = 0;
        for (Array a : x) {
            total += a.size();
        }
        if (total == 0) {
            Array[] out = f.apply(x);
            Array[][] blocks = new Array[out.length][x.length];
            for (int o = 0; o < out.length; o++) {
                checkFloatingOutput(op, out[o].aval());
                for (int i = 0; i < x.length; i++) {
                    blocks[o][i] = Ops.full(new Aval(out[o].dtype(), concat(out[o].shape(), x[i].shape())), 0);
                }
            }
            return blocks;
        }
        Array[] basis = new Array[x.length];
        int offset = 0;
        for (int i = 0; i < x.length; i++) {
            basis[i] = basisRows(x[i].aval(), total, offset);
            offset += x[i].size();
        }
        Array[] tangents = Vectorize.vmap(op, v -> Autodiff.jvp(op, f, x, v)[1], basis, new int[x.length], total, o -> 0);
        Array[][] blocks = new Array[tangents.length][x.length];
        for (int o = 0; o < tangents.length; o++) {
            int[] batchedShape = tangents[o].shape();
            int[] outShape = Arrays.copyOfRange(batchedShape, 1, batchedShape.length);
            checkFloatingOutput(op, new Aval(tangents[o].dtype(), outShape));
            int m = Shapes.size(outShape);
            // [total, out...] -> [out..., total] -> [m, total], then one column range per input leaf
            Array columns = Ops.reshape(Ops.transpose(tangents[o], rotateLeft(batchedShape.length)), m, total);
            offset = 0;
            for (int i = 0; i < x.length; i++) {
                int n = x[i].size();
                Array cols = Ops.slice(columns, new int[] {0, offset}, new int[] {m, offset + n}, new int[] {1, 1});
                blocks[o][i] = Ops.reshape(cols, concat(outShape, x[i].shape()));
                offset += n;
            }
        }
        return blocks;
    }

    /**
     * Jacobian blocks [output leaf][input leaf]: one linearization, then the pullback vectorised (vmap) over
     * the standard basis of each output.
     */
    private static Array[][] reverseBlocks(String op, Function<Array[], Array[]> f, Array[] x) {
        Autodiff.Linearized lin = Autodiff.linearize(op, f, x);
        Aval[] outAvals = lin.outAvals();
        Array[][] blocks = new Array[outAvals.length][x.length];
        for (int o = 0; o < outAvals.length; o++) {
            Aval outAval = outAvals[o];
            checkFloatingOutput(op, outAval);
            int m = outAval.size();
            if (m == 0) {
                for (int i = 0; i < x.length; i++) {
                    blocks[o][i] = Ops.full(new Aval(x[i].dtype(), concat(outAval.shape(), x[i].shape())), 0);
                }
                continue;
            }
            Array[] cts = new Array[outAvals.length];
            int[] dims = new int[outAvals.length];
            for (int p = 0; p < outAvals.length; p++) {
                cts[p] = p == o ? basisRows(outAval, m, 0) : Ops.full(outAvals[p], 0);
                dims[p] = p == o ? 0 : Batched.NOT_BATCHED;
            }
            Array[] g = Vectorize.vmap(op, lin::vjp, cts, dims, m, i -> 0);
            for (int i = 0; i < x.length; i++) {
                blocks[o][i] = Ops.reshape(g[i], concat(outAval.shape(), x[i].shape()));
            }
        }
        return blocks;
    }

    /** {@code [rows] + aval.shape}: row {@code offset + k} is the k-th basis vector of the aval, other rows zero. */
    private static Array basisRows(Aval aval, int rows, int offset) {
        int n = aval.size();
        double[] v = new double[rows * n];
        for (int k = 0; k < n; k++) {
            v[(offset + k) * n + k] = 1;
        }
        return Ops.convert(Array.of(v, concat(new int[] {rows}, aval.shape())), aval.dtype());
    }

    /** The permutation that moves axis 0 to the end. */
    private static int[] rotateLeft(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = (i + 1) % rank;
        }
        return p;
    }

    private static void checkFloatingOutput(String op, Aval out) {
        if (!out.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the output " + out.str() + " is not floating point, so it has no Jacobian");
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
