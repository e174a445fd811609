package dev.solstice;

import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.transform.Autodiff;
import dev.solstice.transform.Jacobians;
import dev.solstice.transform.MaskedLeaves;
import dev.solstice.transform.OutputTree;
import dev.solstice.transform.Vectorize;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The transformations of tree functions, written once for {@link Jax} and {@link Eqx}: each takes its input
 * as {@link MaskedLeaves} (every leaf for {@code Jax}, the floating-point leaves for {@code Eqx}'s filtered
 * forms), runs the flat transformation of {@code dev.solstice.transform} on the selected leaves, and
 * rebuilds trees around the results.
 */
final class TreeFunctions {
    private TreeFunctions() {}

    /** Forward mode: {@code f(x)} and its derivative along the tangent tree {@code v}. */
    static <T, R> JvpResult<R> jvp(String op, Function<T, R> f, MaskedLeaves in, Object v) {
        Array[] tangents = in.read(op, "tangent", v);
        OutputTree out = in.outputTree();
        Array[][] r = Autodiff.jvp(op, in.over(op, f, out), in.selected(), tangents);
        return new JvpResult<>(out.build(r[0]), out.buildTangent(r[1]));
    }

    /** {@code f(x)} and the linear map from input tangents to output tangents. */
    static <T, R> LinearizeResult<T, R> linearize(String op, Function<T, R> f, MaskedLeaves in) {
        OutputTree out = in.outputTree();
        Autodiff.Linearized lin = Autodiff.linearize(op, in.over(op, f, out), in.selected());
        return new LinearizeResult<>(out.build(lin.outputs()), v -> out.buildTangent(lin.jvp(in.read(op, "tangent", v))));
    }

    /**
     * Reverse mode: {@code f(x)} and the pullback, which gives {@code null} at leaves not selected (and, when
     * filtered, takes {@code null} cotangents; see {@link OutputTree}).
     */
    static <T, R> VjpResult<T, R> vjp(String op, Function<T, R> f, MaskedLeaves in) {
        OutputTree out = in.outputTree();
        Autodiff.Linearized lin = Autodiff.linearize(op, in.over(op, f, out), in.selected());
        return new VjpResult<>(out.build(lin.outputs()), c -> in.scatter(lin.vjp(out.read(op, "cotangent", c))));
    }

    /** {@link #valueAndGradWithAux} for a function without an auxiliary output. */
    static <T> ValueAndGrad<T> valueAndGrad(String op, String otherOutputs, Function<T, Array> f, MaskedLeaves in) {
        ValueAndGradAux<T, Object> r = valueAndGradWithAux(op, otherOutputs, (T t) -> new WithAux<Object>(f.apply(t), null), in);
        return new ValueAndGrad<>(r.value(), r.grad());
    }

    /**
     * The value of a scalar function, its auxiliary output (carried along undifferentiated) and its gradient
     * with respect to the selected leaves ({@code null} at the others).
     *
     * @param otherOutputs what to use instead for a function whose value is not a scalar, for the message
     */
    static <T, A> ValueAndGradAux<T, A> valueAndGradWithAux(String op, String otherOutputs, Function<T, WithAux<A>> f,
            MaskedLeaves in) {
        Object[] aux = new Object[1];
        Autodiff.Linearized lin = Autodiff.linearize(op, leaves -> {
            WithAux<A> r = f.apply(in.with(leaves));
            if (r == null || r.value() == null) {
                throw new IllegalArgumentException(op + ": the function returned no value to differentiate");
            }
            aux[0] = r.aux();
            return new Array[] {r.value()};
        }, in.selected());
        Array value = lin.outputs()[0];
        if (value.ndim() != 0 || !value.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the function must return a floating-point scalar (shape []), got "
                    + value.aval().str() + "; use " + otherOutputs + " for other outputs"
                    + (value.size() == 1 ? ", or reshape a size-1 result to a scalar" : ""));
        }
        T grad = in.scatter(lin.vjp(new Array[] {DenseArray.full(value.aval(), 1)}));
        @SuppressWarnings("unchecked")
        A a = aux[0] == null ? null : Tree.map(lin.lower(), (A) aux[0]);
        return new ValueAndGradAux<>(value, a, grad);
    }

    /** Jacobians of a tree function, typed by its input: {@code split} selects the leaves differentiated. */
    static <T> Function<T, TreeJacobian<T>> jacobian(String op, Function<T, ?> f, BiFunction<String, Object, MaskedLeaves> split,
            boolean forward) {
        Function<T, Object> g = layouts(f);
        return x -> new TreeJacobian<>(Jacobians.blocks(op, g, split, forward, x));
    }

    /**
     * {@code f} with a {@link TreeJacobian} result replaced by its tree-of-trees layout, so that Jacobians nest
     * ({@code Eqx.filterJacrev(Eqx.filterJacrev(f))}): the outer one's output paths are the layout's.
     */
    private static <T> Function<T, Object> layouts(Function<T, ?> f) {
        return x -> {
            Object y = f.apply(x);
            return y instanceof TreeJacobian<?> j ? j.tree() : y;
        };
    }

    /** Hessians ({@code jacfwd} of {@code jacrev}, named {@code inner} in its messages) of a function of a tree. */
    static <T> Function<T, Hessian<T>> hessian(String op, String inner, Function<T, ?> f,
            BiFunction<String, Object, MaskedLeaves> split) {
        Function<T, Object> gradient = Jacobians.of(inner, layouts(f), split, false);
        return x -> new Hessian<>(Jacobians.blocks(op, gradient, split, true, x));
    }

    /** The Jacobian of an array function: an array of shape {@code out.shape + in.shape}. */
    static UnaryOperator<Array> arrayJacobian(String op, UnaryOperator<Array> f, BiFunction<String, Object, MaskedLeaves> split,
            boolean forward) {
        Function<Array, Object> j = Jacobians.of(op, f, split, forward);
        return x -> (Array) j.apply(x); // an array's Jacobian by an array is one array (null where not differentiated)
    }

    /** The Hessian of a scalar array function: an array of shape {@code in.shape + in.shape}. */
    static UnaryOperator<Array> arrayHessian(String op, String inner, UnaryOperator<Array> f,
            BiFunction<String, Object, MaskedLeaves> split) {
        Function<Array, Object> h = Jacobians.of(op, Jacobians.of(inner, f, split, false), split, true);
        return x -> (Array) h.apply(x);
    }

    /**
     * {@code f} vectorised over the axes {@code inAxes} gives for its input leaves, with the examples at
     * {@code outAxes} in its output leaves (see {@link Jax#vmap(Function, Object, Object, int, String)}).
     */
    static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, int axisSize, String axisName) {
        return x -> {
            MaskedLeaves in = MaskedLeaves.all(x);
            Array[] leaves = in.selected();
            int[] dims = AxisSpecs.inAxes("vmap", "inAxes", inAxes, x);
            int size = batchSize(x, leaves, dims, axisSize);
            OutputTree out = new OutputTree();
            // the output as f returned it (leaves are tracers): the out axes are resolved on its structure
            Object[] returned = new Object[1];
            Function<T, R> keeping = t -> {
                R y = f.apply(t);
                returned[0] = y;
                return y;
            };
            int[][] outDims = new int[1][];
            Array[] r = Vectorize.vmap("vmap", in.over("vmap", keeping, out), leaves, dims, size, o -> {
                if (outDims[0] == null) {
                    outDims[0] = AxisSpecs.outAxes("vmap", "outAxes", outAxes, returned[0]);
                }
                return outDims[0][o];
            }, axisName);
            return out.build(r);
        };
    }

    /** The batch size the batched input leaves agree on (or {@code axisSize}), with a message naming each. */
    private static int batchSize(Object x, Array[] leaves, int[] dims, int axisSize) {
        int size = axisSize;
        boolean mismatch = false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == Batched.NOT_BATCHED) {
                continue;
            }
            int n = leaves[i].aval().dim(dims[i]);
            mismatch |= size >= 0 && n != size;
            size = size < 0 ? n : size;
        }
        if (mismatch) {
            throw new IllegalArgumentException("vmap: inconsistent batch sizes: " + describeSizes(x, leaves, dims)
                    + (axisSize >= 0 ? " (axisSize " + axisSize + ")" : ""));
        }
        if (size < 0) {
            throw new IllegalArgumentException("vmap: no input is batched, so the batch size is unknown; give axisSize");
        }
        return size;
    }

    /** Each batched input leaf's path, batch axis and size, for the message on a mismatch. */
    private static String describeSizes(Object x, Array[] leaves, int[] dims) {
        StringBuilder sizes = new StringBuilder();
        List<Tree.PathLeaf> paths = Tree.leavesWithPath(x);
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != Batched.NOT_BATCHED) {
                sizes.append(sizes.isEmpty() ? "" : ", ").append(describe(paths.get(i))).append(" axis ").append(dims[i])
                        .append(" has size ").append(leaves[i].aval().dim(dims[i]));
            }
        }
        return sizes.toString();
    }

    private static String describe(Tree.PathLeaf p) {
        return p.path().keys().isEmpty() ? "the input" : "input " + p.path();
    }
}
