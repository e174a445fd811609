package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import dev.solstice.transform.Autodiff;
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
 * needs no parameter type, and gets an array-to-array function back.
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

    /** Jacobian blocks [output leaf][input leaf] by one JVP per input element. */
    private static Array[][] forwardBlocks(String op, Function<Array[], Array[]> f, Array[] x) {
        int total = 0;
        for (Array a : x) {
            total += a.size();
        }
        List<Array[]> tangentsPerColumn = new ArrayList<>();
        Array[] primalOut = null;
        for (int leaf = 0; leaf < x.length; leaf++) {
            for (int k = 0; k < x[leaf].size(); k++) {
                Array[] v = new Array[x.length];
                for (int i = 0; i < x.length; i++) {
                    v[i] = i == leaf ? basis(x[i].aval(), k) : Lax.zerosLike(x[i]);
                }
                Array[][] r = Autodiff.jvp(op, f, x, v);
                primalOut = r[0];
                tangentsPerColumn.add(r[1]);
            }
        }
        if (total == 0) {
            primalOut = f.apply(x);
        }
        Array[][] blocks = new Array[primalOut.length][x.length];
        for (int o = 0; o < primalOut.length; o++) {
            Aval outAval = primalOut[o].aval();
            checkFloatingOutput(op, outAval);
            int column = 0;
            for (int i = 0; i < x.length; i++) {
                int n = x[i].size();
                int[] shape = concat(outAval.shape(), x[i].shape());
                if (n == 0 || outAval.size() == 0) {
                    blocks[o][i] = Lax.full(new Aval(outAval.dtype(), shape), 0);
                } else {
                    Array[] cols = new Array[n];
                    for (int k = 0; k < n; k++) {
                        cols[k] = Lax.reshape(tangentsPerColumn.get(column + k)[o], outAval.size(), 1);
                    }
                    blocks[o][i] = Lax.reshape(n == 1 ? cols[0] : Lax.concatenate(1, cols), shape);
                }
                column += n;
            }
        }
        return blocks;
    }

    /** Jacobian blocks [output leaf][input leaf] by one pullback per output element. */
    private static Array[][] reverseBlocks(String op, Function<Array[], Array[]> f, Array[] x) {
        Autodiff.Linearized lin = Autodiff.linearize(op, f, x);
        Aval[] outAvals = lin.outAvals();
        Array[][] blocks = new Array[outAvals.length][x.length];
        for (int o = 0; o < outAvals.length; o++) {
            Aval outAval = outAvals[o];
            checkFloatingOutput(op, outAval);
            int m = outAval.size();
            Array[][] rows = new Array[x.length][m];
            for (int j = 0; j < m; j++) {
                Array[] ct = new Array[outAvals.length];
                for (int p = 0; p < outAvals.length; p++) {
                    ct[p] = p == o ? basis(outAval, j) : Lax.full(outAvals[p], 0);
                }
                Array[] g = lin.vjp(ct);
                for (int i = 0; i < x.length; i++) {
                    rows[i][j] = Lax.reshape(g[i], 1, x[i].size());
                }
            }
            for (int i = 0; i < x.length; i++) {
                int[] shape = concat(outAval.shape(), x[i].shape());
                blocks[o][i] = m == 0 || x[i].size() == 0
                        ? Lax.full(new Aval(x[i].dtype(), shape), 0)
                        : Lax.reshape(m == 1 ? rows[i][0] : Lax.concatenate(0, rows[i]), shape);
            }
        }
        return blocks;
    }

    private static void checkFloatingOutput(String op, Aval out) {
        if (!out.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the output " + out.str() + " is not floating point, so it has no Jacobian");
        }
    }

    private static Array basis(Aval aval, int k) {
        double[] v = new double[aval.size()];
        v[k] = 1;
        return Lax.convert(Array.of(v, aval.shape()), aval.dtype());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
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
     * cotangent)} the input cotangent. Forward mode through it is an error, as in JAX.
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
