package dev.solstice;

import dev.solstice.prim.Ops;
import dev.solstice.transform.Jacobians;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.List;

/**
 * The Jacobian of a function of a tree {@code T} at one point, as {@link Jax#jacfwd(java.util.function.Function)},
 * {@link Jax#jacrev(java.util.function.Function)} and {@link Eqx#filterJacfwd(java.util.function.Function)} give it:
 * one block per (output leaf, differentiated input leaf), each of shape {@code out.shape + in.shape}.
 *
 * <p>The types say only what holds for every function: a row (the derivatives of one output leaf) is a tree of the
 * input's type {@code T} ({@link #row}, {@link #asInputTree}); a block is an {@link Array} ({@link #block}); the
 * whole Jacobian of the raveled output by the raveled input is a matrix ({@link #asMatrix}). JAX's layout, a tree of
 * the output's structure whose leaves are trees of the input's, has no Java type in general, so {@link #tree} gives
 * it as an {@code Object} (with {@link dev.solstice.tree.Struct}s where a record cannot hold its rows), to be taken
 * apart with an explicit cast. No assignment of a result can fail with a {@code ClassCastException}.
 *
 * <p>Leaves are named by their paths, as {@link Tree#leavesWithPath(Object)} prints them ({@code "w"},
 * {@code "layers[0].weight"}; {@code ""} for an array at the root):
 * {@snippet lang=java :
 * record Affine(Array w, Array b) {}
 * Array x = Array.of(1.0, 2.0);
 * Affine m = new Affine(Jnp.zeros(2, 2), Jnp.zeros(2));
 * TreeJacobian<Affine> j = Jax.jacfwd((Affine a) -> a.w().matmul(x).add(a.b())).apply(m);
 * j.block("", "w")                    // float64[2,2,2]: out, w.rows, w.cols
 * Affine rows = j.asInputTree();      // the same blocks as an Affine
 * j.asMatrix()                        // [[1.0, 2.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 2.0, 0.0, 1.0]]
 * }
 *
 * @param <T> the input's type
 */
public sealed class TreeJacobian<T> permits Hessian {
    private final Jacobians.Blocks blocks;
    private final List<KeyPath> outputPaths;
    private final List<KeyPath> inputPaths;

    TreeJacobian(Jacobians.Blocks blocks) {
        this.blocks = blocks;
        this.outputPaths = List.copyOf(Tree.leafPaths(blocks.outDef()));
        this.inputPaths = List.copyOf(blocks.in().selectedPaths());
    }

    /**
     * The paths of the output's array leaves, in leaf order (the rows of {@link #asMatrix}).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * j.outputPaths().size()              // 1: one array at the root
     * }
     */
    public List<KeyPath> outputPaths() {
        return outputPaths;
    }

    /**
     * The paths of the differentiated input leaves, in leaf order (the columns of {@link #asMatrix}).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * j.inputPaths().toString()           // [w, b]
     * }
     */
    public List<KeyPath> inputPaths() {
        return inputPaths;
    }

    /**
     * The block of output leaf {@code out} by input leaf {@code in}: shape {@code out.shape + in.shape}.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * j.block(j.outputPaths().get(0), j.inputPaths().get(1))   // [[1.0, 0.0], [0.0, 2.0]]: d(w*b)/db
     * }
     */
    public Array block(KeyPath out, KeyPath in) {
        return blocks.blocks()[find("output", outputPaths, out)][find("input", inputPaths, in)];
    }

    /**
     * {@link #block(KeyPath, KeyPath)} with the paths as printed ({@code "w"}, {@code "layers[0].weight"}, {@code ""}).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * j.block("", "w")                    // [[3.0, 0.0], [0.0, 4.0]]
     * j.block("", "v")                    // throws IllegalArgumentException
     * }
     */
    public Array block(String out, String in) {
        return blocks.blocks()[find("output", outputPaths, out)][find("input", inputPaths, in)];
    }

    /**
     * The derivatives of output leaf {@code out}: a tree of the input's structure and type whose leaves have shape
     * {@code out.shape + leaf.shape} ({@code null} at leaves not differentiated).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * P row = j.row(j.outputPaths().get(0));
     * row.b()                             // [[1.0, 0.0], [0.0, 2.0]]
     * }
     */
    public T row(KeyPath out) {
        return blocks.in().scatter(blocks.blocks()[find("output", outputPaths, out)]);
    }

    /**
     * {@link #row(KeyPath)} with the path as printed.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * j.row("").w()                       // [[3.0, 0.0], [0.0, 4.0]]
     * }
     */
    public T row(String out) {
        return blocks.in().scatter(blocks.blocks()[find("output", outputPaths, out)]);
    }

    /**
     * The Jacobian of a function whose output is one array (a scalar loss, a prediction): the tree of the input's
     * structure and type whose leaves have shape {@code out.shape + leaf.shape} (for a scalar output, the gradient).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> g = Jax.jacrev((P p) -> Jnp.sum(p.w().mul(p.b()))).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * g.asInputTree().w()                 // [3.0, 4.0]: for a scalar output, the gradient
     * }
     *
     * @throws IllegalStateException if the output is not a single array (use {@link #row} or {@link #block})
     */
    public T asInputTree() {
        if (outputPaths.size() != 1 || !outputPaths.getFirst().keys().isEmpty()) {
            throw new IllegalStateException(name() + ".asInputTree: the output is not one array but a tree with leaves "
                    + shown(outputPaths) + "; use row(path) or block(out, in)");
        }
        return row(KeyPath.ROOT);
    }

    /**
     * The dense matrix of the raveled output by the raveled differentiated inputs: row {@code i} is the i-th element
     * of the output's leaves flattened in leaf order (as {@link Tree#ravel}), column {@code j} the j-th element of the
     * differentiated input leaves. The dtype is the output's and inputs' promoted together.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * j.asMatrix()                        // [[3.0, 0.0, 1.0, 0.0], [0.0, 4.0, 0.0, 2.0]]
     * }
     */
    public Array asMatrix() {
        Array[][] b = blocks.blocks();
        Array[] in = blocks.in().selected();
        if (in.length == 0) {
            throw new IllegalStateException(name() + ".asMatrix: no input leaf is differentiated, so there are no columns");
        }
        if (b.length == 0) {
            int cols = 0;
            for (Array a : in) {
                cols += a.size();
            }
            return Jnp.zeros(in[0].dtype(), 0, cols);
        }
        DType dtype = b[0][0].dtype();
        for (Array[] row : b) {
            for (Array a : row) {
                dtype = DType.promote(dtype, a.dtype());
            }
        }
        Array[] rows = new Array[b.length];
        for (int o = 0; o < b.length; o++) {
            Array[] pieces = new Array[in.length];
            for (int i = 0; i < in.length; i++) {
                int[] shape = b[o][i].shape();
                int outSize = dev.solstice.core.Shapes.size(java.util.Arrays.copyOf(shape, shape.length - in[i].ndim()));
                pieces[i] = Ops.convert(Ops.reshape(b[o][i], outSize, in[i].size()), dtype);
            }
            rows[o] = pieces.length == 1 ? pieces[0] : Ops.concatenate(1, pieces);
        }
        return rows.length == 1 ? rows[0] : Ops.concatenate(0, rows);
    }

    /**
     * JAX's layout: a tree of the output's structure whose leaves are trees of the input's structure ({@code null}
     * at input leaves not differentiated); a record that cannot hold such trees is a {@link dev.solstice.tree.Struct}
     * of its shape. Typed {@code Object}: take it apart with an explicit cast, or prefer {@link #block} and {@link #row}.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * TreeJacobian<P> j = Jax.jacfwd((P p) -> p.w().mul(p.b())).apply(new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
     * P byLeaf = (P) j.tree();            // the output is one array: its row is a P
     * byLeaf.w()                          // [[3.0, 0.0], [0.0, 4.0]]
     * }
     */
    public Object tree() {
        return blocks.tree();
    }

    /**
     * JAX's layout, {@link Tree#pformat formatted}.
     *
     * {@snippet lang=java :
     * TreeJacobian<Array> j = Jax.jacfwd((Function<Array, Array>) x -> x.mul(x)).apply(Array.of(1.0, 2.0));
     * j.toString()                        // TreeJacobian f64[2,2]
     * }
     */
    @Override
    public String toString() {
        return name() + " " + Tree.pformat(tree());
    }

    private String name() {
        return getClass().getSimpleName();
    }

    private int find(String side, List<KeyPath> paths, KeyPath p) {
        int i = paths.indexOf(p);
        if (i < 0) {
            throw new IllegalArgumentException(name() + ": no " + side + " leaf at " + describe(p) + "; the " + side
                    + " leaves are " + shown(paths));
        }
        return i;
    }

    private int find(String side, List<KeyPath> paths, String p) {
        for (int i = 0; i < paths.size(); i++) {
            if (paths.get(i).toString().equals(p)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name() + ": no " + side + " leaf at \"" + p + "\"; the " + side + " leaves are "
                + shown(paths));
    }

    private static String describe(KeyPath p) {
        return p.keys().isEmpty() ? "the root" : p.toString();
    }

    private static String shown(List<KeyPath> paths) {
        List<String> s = new ArrayList<>();
        for (KeyPath p : paths) {
            s.add("\"" + p + "\"");
        }
        return s.toString();
    }
}
