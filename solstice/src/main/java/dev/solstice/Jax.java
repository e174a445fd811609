package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import dev.solstice.transform.Autodiff;
import dev.solstice.transform.Vectorize;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * JAX's function transformations: {@link #jvp}, {@link #linearize}, {@link #vjp}, {@link #grad},
 * {@link #valueAndGrad}, {@link #jacfwd}, {@link #jacrev}, {@link #hessian}, {@link #customJvp} and
 * {@link #customVjp}. They nest in any order to any depth: the function given may itself call transformed
 * functions and close over values of enclosing transformations.
 *
 * <p>Inputs and outputs are arrays or trees of arrays (records, lists, maps...; see
 * {@link dev.solstice.tree.Tree}). The overloads taking a {@code UnaryOperator<Array>} are the same
 * transformations typed for plain arrays: a lambda or method reference from array to array picks them,
 * needs no parameter type, and gets an array-to-array function back. A lambda over a tree therefore needs
 * its parameter type written out ({@code (Affine m) -> ...}), or it is taken for an array lambda.
 *
 * <p>Every transformation returns real zeros for an output that does not depend on its input (a constant,
 * a closed-over array, a value of an outer transformation): a value is never taken for its own derivative.
 */
public final class Jax {
    private Jax() {}

    // ---- forward mode ---------------------------------------------------------------------------------

    /** Forward mode: {@code f(x)} and its derivative along {@code v} (a tree of {@code x}'s structure). */
    public static <T, R> JvpResult<R> jvp(Function<T, R> f, T x, T v) {
        TreeFunctions.Flat in = TreeFunctions.Flat.of(x);
        TreeFunctions.checkFloating("jvp", x, in.leaves());
        Array[] tangents = TreeFunctions.leavesLike("jvp", "tangent", in.def(), v);
        TreeFunctions.OutDef out = new TreeFunctions.OutDef();
        Array[][] r = Autodiff.jvp("jvp", TreeFunctions.flat("jvp", f, in.def(), out), in.leaves(), tangents);
        return new JvpResult<>(Tree.unflatten(out.get(), List.of(r[0])), Tree.unflatten(out.get(), List.of(r[1])));
    }

    /** {@code f(x)} and the linear map {@code v -> J v}, evaluated later without re-running {@code f}. */
    public static <T, R> LinearizeResult<T, R> linearize(Function<T, R> f, T x) {
        TreeFunctions.Flat in = TreeFunctions.Flat.of(x);
        TreeFunctions.checkFloating("linearize", x, in.leaves());
        TreeFunctions.OutDef out = new TreeFunctions.OutDef();
        Autodiff.Linearized lin = Autodiff.linearize("linearize", TreeFunctions.flat("linearize", f, in.def(), out), in.leaves());
        TreeDef outDef = out.get();
        return new LinearizeResult<>(Tree.unflatten(outDef, List.of(lin.outputs())),
                v -> Tree.unflatten(outDef, List.of(lin.jvp(TreeFunctions.leavesLike("linearize", "tangent", in.def(), v)))));
    }

    // ---- reverse mode ---------------------------------------------------------------------------------

    /** Reverse mode: {@code f(x)} and the pullback {@code c -> J^T c} (cotangents shaped like the output). */
    public static <T, R> VjpResult<T, R> vjp(Function<T, R> f, T x) {
        TreeFunctions.Flat in = TreeFunctions.Flat.of(x);
        TreeFunctions.checkFloating("vjp", x, in.leaves());
        TreeFunctions.OutDef out = new TreeFunctions.OutDef();
        Autodiff.Linearized lin = Autodiff.linearize("vjp", TreeFunctions.flat("vjp", f, in.def(), out), in.leaves());
        TreeDef outDef = out.get();
        return new VjpResult<>(Tree.unflatten(outDef, List.of(lin.outputs())),
                c -> Tree.unflatten(in.def(), List.of(lin.vjp(TreeFunctions.leavesLike("vjp", "cotangent", outDef, c)))));
    }

    /** The gradient of a scalar-valued function of an array. */
    public static Function<Array, Array> grad(UnaryOperator<Array> f) {
        return gradOf(f);
    }

    /** The gradient of a scalar-valued function of a tree: a tree of the same structure and type. */
    public static <T> Function<T, T> grad(Function<T, Array> f) {
        return gradOf(f);
    }

    private static <T> Function<T, T> gradOf(Function<T, Array> f) {
        return x -> valueAndGradOf("grad", f).apply(x).grad();
    }

    /** The value and the gradient of a scalar-valued function of an array, computed together. */
    public static Function<Array, ValueAndGrad<Array>> valueAndGrad(UnaryOperator<Array> f) {
        return valueAndGradOf("valueAndGrad", f);
    }

    /** The value and the gradient of a scalar-valued function of a tree. */
    public static <T> Function<T, ValueAndGrad<T>> valueAndGrad(Function<T, Array> f) {
        return valueAndGradOf("valueAndGrad", f);
    }

    private static <T> Function<T, ValueAndGrad<T>> valueAndGradOf(String op, Function<T, Array> f) {
        return x -> {
            ValueAndGradAux<T, Object> r = withAux(op, (T t) -> new WithAux<Object>(f.apply(t), null)).apply(x);
            return new ValueAndGrad<>(r.value(), r.grad());
        };
    }

    /**
     * Value and gradient of an array function that also returns an auxiliary output (JAX's
     * {@code has_aux}); the auxiliary output is carried along undifferentiated.
     */
    public static <A> Function<Array, ValueAndGradAux<Array, A>> valueAndGradWithAux(Function<Array, WithAux<A>> f) {
        return withAux("valueAndGradWithAux", f);
    }

    /** {@link #valueAndGradWithAux(Function)} for a function of a tree. */
    public static <T, A> Function<T, ValueAndGradAux<T, A>> valueAndGradWithAuxTree(Function<T, WithAux<A>> f) {
        return withAux("valueAndGradWithAux", f);
    }

    private static <T, A> Function<T, ValueAndGradAux<T, A>> withAux(String op, Function<T, WithAux<A>> f) {
        return x -> {
            TreeFunctions.Flat in = TreeFunctions.Flat.of(x);
            TreeFunctions.checkFloating(op, x, in.leaves());
            Object[] aux = new Object[1];
            Autodiff.Linearized lin = Autodiff.linearize(op, leaves -> {
                WithAux<A> r = f.apply(Tree.unflatten(in.def(), List.of(leaves)));
                if (r == null || r.value() == null) {
                    throw new IllegalArgumentException(op + ": the function returned no value to differentiate");
                }
                aux[0] = r.aux();
                return new Array[] {r.value()};
            }, in.leaves());
            Array value = lin.outputs()[0];
            T grad = Tree.unflatten(in.def(), List.of(lin.vjp(new Array[] {unitCotangent(op, value)})));
            A a = aux[0] == null ? null : Tree.map(lin.lower(), (A) aux[0]);
            return new ValueAndGradAux<>(value, a, grad);
        };
    }

    private static Array unitCotangent(String op, Array value) {
        if (value.ndim() != 0 || !value.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the function must return a floating-point scalar (shape []), got "
                    + value.aval().str() + "; use Jax.jacrev or Jax.vjp for other outputs"
                    + (value.size() == 1 ? ", or reshape a size-1 result to a scalar" : ""));
        }
        return DenseArray.full(value.aval(), 1);
    }

    /**
     * The Hessian-vector product {@code H(x) v} of a scalar function of an array, by forward mode over
     * reverse mode ({@code jvp} of {@code grad}), without forming the Hessian.
     */
    public static Array hvp(UnaryOperator<Array> f, Array x, Array v) {
        return jvp(grad(f), x, v).tangent();
    }

    /** {@link #hvp(UnaryOperator, Array, Array)} for a scalar function of a tree; {@code v} has {@code x}'s structure. */
    public static <T> T hvp(Function<T, Array> f, T x, T v) {
        return jvp(gradOf(f), x, v).tangent();
    }

    // ---- Jacobians and Hessians -------------------------------------------------------------------------

    /** The Jacobian of an array function by forward mode: shape {@code out.shape + in.shape}. */
    public static Function<Array, Array> jacfwd(UnaryOperator<Array> f) {
        return jacobian("jacfwd", f, true);
    }

    /**
     * The Jacobian of a tree function by forward mode (one JVP per input element): a tree of the output's
     * structure whose leaves are trees of the input's structure, with leaf shapes {@code out + in}. For an
     * array input or output that level is the array itself.
     */
    public static <T, J> Function<T, J> jacfwd(Function<T, ?> f) {
        return jacobian("jacfwd", f, true);
    }

    /** The Jacobian of an array function by reverse mode: shape {@code out.shape + in.shape}. */
    public static Function<Array, Array> jacrev(UnaryOperator<Array> f) {
        return jacobian("jacrev", f, false);
    }

    /** The Jacobian of a tree function by reverse mode (one pullback per output element); layout as {@link #jacfwd(Function)}. */
    public static <T, J> Function<T, J> jacrev(Function<T, ?> f) {
        return jacobian("jacrev", f, false);
    }

    /** The Hessian of a scalar array function, {@code jacfwd(jacrev(f))}: shape {@code in.shape + in.shape}. */
    public static Function<Array, Array> hessian(UnaryOperator<Array> f) {
        return jacobian("hessian", jacobian("jacrev", f, false), true);
    }

    /**
     * The Hessian of a scalar function of a tree, {@code jacfwd(jacrev(f))}: a tree of trees of the input's
     * structure (records that cannot hold trees become {@link dev.solstice.tree.Struct}s of the same shape).
     */
    public static <T, H> Function<T, H> hessian(Function<T, Array> f) {
        return jacobian("hessian", jacobian("jacrev", f, false), true);
    }

    private static <T, J> Function<T, J> jacobian(String op, Function<T, ?> f, boolean forward) {
        return x -> {
            TreeFunctions.Flat in = TreeFunctions.Flat.of(x);
            TreeFunctions.checkFloating(op, x, in.leaves());
            TreeFunctions.OutDef out = new TreeFunctions.OutDef();
            Function<Array[], Array[]> flat = TreeFunctions.flat(op, f, in.def(), out);
            Array[][] blocks = jacobianBlocks(op, flat, in.leaves(), forward);
            List<Object> rows = new ArrayList<>();
            for (Array[] row : blocks) {
                rows.add(Tree.unflatten(in.def(), Arrays.asList((Object[]) row)));
            }
            return Tree.unflatten(out.get(), rows);
        };
    }

    /** Jacobian blocks [output leaf][input leaf] of a function of flat leaves, by forward or reverse mode. */
    static Array[][] jacobianBlocks(String op, Function<Array[], Array[]> flat, Array[] x, boolean forward) {
        return forward ? forwardBlocks(op, flat, x) : reverseBlocks(op, flat, x);
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
                    blocks[o][i] = Lax.full(new Aval(out[o].dtype(), concat(out[o].shape(), x[i].shape())), 0);
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
            int m = dev.solstice.core.Shapes.size(outShape);
            // [total, out...] -> [out..., total] -> [m, total], then one column range per input leaf
            Array columns = Lax.reshape(Lax.transpose(tangents[o], rotateLeft(batchedShape.length)), m, total);
            offset = 0;
            for (int i = 0; i < x.length; i++) {
                int n = x[i].size();
                Array cols = Lax.slice(columns, new int[] {0, offset}, new int[] {m, offset + n}, new int[] {1, 1});
                blocks[o][i] = Lax.reshape(cols, concat(outShape, x[i].shape()));
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
                    blocks[o][i] = Lax.full(new Aval(x[i].dtype(), concat(outAval.shape(), x[i].shape())), 0);
                }
                continue;
            }
            Array[] cts = new Array[outAvals.length];
            int[] dims = new int[outAvals.length];
            for (int p = 0; p < outAvals.length; p++) {
                cts[p] = p == o ? basisRows(outAval, m, 0) : Lax.full(outAvals[p], 0);
                dims[p] = p == o ? 0 : dev.solstice.core.Batched.NOT_BATCHED;
            }
            Array[] g = Vectorize.vmap(op, lin::vjp, cts, dims, m, i -> 0);
            for (int i = 0; i < x.length; i++) {
                blocks[o][i] = Lax.reshape(g[i], concat(outAval.shape(), x[i].shape()));
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
        return Lax.convert(Array.of(v, concat(new int[] {rows}, aval.shape())), aval.dtype());
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

    // ---- vmap ---------------------------------------------------------------------------------------------

    /** Vectorises an array function over axis 0 of its input and output. */
    public static Function<Array, Array> vmap(UnaryOperator<Array> f) {
        return vmap(f, 0, 0);
    }

    /** Vectorises a tree function over axis 0 of every input and output leaf. */
    public static <T, R> Function<T, R> vmap(Function<T, R> f) {
        return vmap(f, 0, 0);
    }

    /**
     * Vectorises {@code f}: {@code inAxes} says which axis of each input leaf runs over the examples and
     * {@code outAxes} where the examples go in each output leaf. Each is an {@code Integer} (negative counts
     * from the end), {@code null} (not batched; for an output, one that must not vary), or a tree that is a
     * prefix of the argument's (or output's) structure holding those, as JAX's {@code in_axes}/{@code out_axes}.
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes) {
        return vmap(f, inAxes, outAxes, -1);
    }

    /**
     * {@link #vmap(Function, Object, Object)} with the batch size given, for a function none of whose inputs
     * is batched ({@code axisSize} must then be non-negative; it is checked against batched inputs otherwise).
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, int axisSize) {
        return vmap(f, inAxes, outAxes, axisSize, null);
    }

    /**
     * {@link #vmap(Function, Object, Object)} with an axis name: inside {@code f}, collectives such as
     * {@link Lax#psum(Array, String)} and {@link Lax#pmean(Array, String)} with that name act across the
     * examples (batch statistics, as JAX's {@code axis_name}).
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, String axisName) {
        return vmap(f, inAxes, outAxes, -1, axisName);
    }

    /** {@link #vmap(Function, Object, Object, String)} with the batch size given (see {@link #vmap(Function, Object, Object, int)}). */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, int axisSize, String axisName) {
        return x -> {
            TreeFunctions.Flat in = TreeFunctions.Flat.of(x);
            int[] dims = AxisSpecs.inAxes("vmap", "inAxes", inAxes, x);
            int size = axisSize;
            StringBuilder sizes = new StringBuilder();
            boolean mismatch = false;
            List<Tree.PathLeaf> paths = Tree.leavesWithPath(x);
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] == dev.solstice.core.Batched.NOT_BATCHED) {
                    continue;
                }
                int d = dims[i];
                int n = in.leaves()[i].shape()[d];
                sizes.append(sizes.isEmpty() ? "" : ", ").append(describe(paths.get(i))).append(" axis ").append(d)
                        .append(" has size ").append(n);
                mismatch |= size >= 0 && n != size;
                size = size < 0 ? n : size;
            }
            if (mismatch) {
                throw new IllegalArgumentException("vmap: inconsistent batch sizes: " + sizes
                        + (axisSize >= 0 ? " (axisSize " + axisSize + ")" : ""));
            }
            if (size < 0) {
                throw new IllegalArgumentException("vmap: no input is batched, so the batch size is unknown; give axisSize");
            }
            TreeFunctions.OutDef out = new TreeFunctions.OutDef();
            Function<Array[], Array[]> flat = TreeFunctions.flat("vmap", f, in.def(), out);
            int[][] outDims = new int[1][];
            Array[] r = dev.solstice.transform.Vectorize.vmap("vmap", flat, in.leaves(), dims, size, o -> {
                if (outDims[0] == null) {
                    outDims[0] = AxisSpecs.outAxes("vmap", "outAxes", outAxes, Tree.unflatten(out.get(), placeholders(out.get())));
                }
                return outDims[0][o];
            }, axisName);
            return Tree.unflatten(out.get(), List.of(r));
        };
    }

    private static String describe(Tree.PathLeaf p) {
        return p.path().keys().isEmpty() ? "the input" : "input " + p.path();
    }

    private static List<Object> placeholders(TreeDef def) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < def.numLeaves(); i++) {
            l.add(Array.scalar(0.0));
        }
        return l;
    }

    // ---- custom rules -------------------------------------------------------------------------------------

    /**
     * A function with a custom JVP rule (JAX's {@code custom_jvp}): {@code f} computes the value, and under
     * differentiation {@code rule(x, t)} gives the value and the tangent instead. The rule is itself
     * differentiated by enclosing transformations, so it works in every mode and to any order.
     */
    public static Function<Array, Array> customJvp(Function<Array, Array> f, BiFunction<Array, Array, JvpResult<Array>> rule) {
        CustomJvpCall call = new CustomJvpCall(in -> new Array[] {f.apply(in[0])}, (p, t) -> {
            JvpResult<Array> r = rule.apply(p[0], t[0]);
            if (r == null || r.primal() == null || r.tangent() == null) {
                throw new IllegalArgumentException("customJvp: the JVP rule must return a primal and a tangent, got " + r);
            }
            return new Array[][] {{r.primal()}, {r.tangent()}};
        });
        return x -> Interpreters.bind1(call, x);
    }

    /**
     * A function with a custom reverse-mode rule (JAX's {@code custom_vjp}): {@code f} computes the value;
     * under reverse-mode differentiation {@code fwd} computes the value and residuals and {@code bwd(residuals,
     * cotangent)} the input cotangent. Forward mode through it is an error, as in JAX. Forward mode over
     * reverse mode (a Hessian) differentiates {@code fwd} and {@code bwd} themselves, which are ordinary
     * code; unlike JAX this works, and it gives the true second derivative when {@code bwd} is the true
     * gradient (if {@code fwd} calls the customVjp function itself, the forward-mode error appears).
     */
    public static Function<Array, Array> customVjp(Function<Array, Array> f, Function<Array, CustomVjpFwd> fwd,
            BiFunction<List<Array>, Array, Array> bwd) {
        CustomVjpCall call = new CustomVjpCall(in -> new Array[] {f.apply(in[0])}, p -> {
            CustomVjpFwd r = fwd.apply(p[0]);
            return new Array[][] {{r.output()}, r.residuals().toArray(Array[]::new)};
        }, (res, ct) -> new Array[] {bwd.apply(List.of(res), ct[0])});
        return x -> Interpreters.bind1(call, x);
    }
}
