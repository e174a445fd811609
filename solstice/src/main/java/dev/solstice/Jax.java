package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.transform.Checkpoint;
import dev.solstice.transform.CustomCalls;
import dev.solstice.transform.Jacobians;
import dev.solstice.transform.MaskedLeaves;
import dev.solstice.transform.StagedFunction;
import dev.solstice.transform.TaylorMode;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * JAX's function transformations: {@link #jvp}, {@link #linearize}, {@link #vjp}, {@link #grad},
 * {@link #valueAndGrad}, {@link #jacfwd}, {@link #jacrev}, {@link #hessian}, {@link #vmap}, {@link #jit} (with
 * {@link #makeJaxpr} and {@link #evalShape}), {@link #checkpoint}, {@link #customJvp} and {@link #customVjp}. They nest in any order to any depth: the function given may itself call transformed
 * functions and close over values of enclosing transformations.
 *
 * <p>Inputs and outputs are arrays or trees of arrays (records, lists, maps...; see
 * {@link dev.solstice.tree.Tree}). The overloads taking a {@code UnaryOperator<Array>} are the same
 * transformations typed for plain arrays: a lambda or method reference from array to array picks them,
 * needs no parameter type, and gets a {@code UnaryOperator<Array>} back, so transformed functions compose
 * with no adapter: {@code Jax.jacfwd(Jax.grad(f))}, {@code Jax.hessian(Jax.jit(f))}, {@code Jax.vmap(Jax.grad(f))}
 * are array functions. A lambda over a tree therefore needs its parameter type written out
 * ({@code (Affine m) -> ...}), or it is taken for an array lambda; a variable declared
 * {@code Function<Array, Array>} takes the tree overloads (declare it {@code UnaryOperator<Array>}).
 *
 * <p>Results are typed by what holds for every function: the gradient of a function of {@code T} is a
 * {@code T}; its Jacobian is a {@link TreeJacobian} ({@code TreeJacobian<T>}) and its Hessian a {@link Hessian}
 * (blocks by leaf path, rows as {@code T}s, the dense matrix, and JAX's tree-of-trees layout as an
 * {@code Object}), so no assignment of a result compiles that could fail with a {@code ClassCastException}.
 *
 * <p>Functions of two or three arguments ({@link java.util.function.BiFunction}, {@link Fn3}) take an
 * {@link Argnums} naming the arguments to differentiate and give one result per argument in a {@link Pair} or
 * {@link Triple} ({@code null} for the others); {@code vmap} takes an {@link InAxes} ({@code InAxes.of(null, 0)}).
 *
 * <p>Every transformation returns real zeros for an output that does not depend on its input (a constant,
 * a closed-over array, a value of an outer transformation): a value is never taken for its own derivative.
 *
 * <p>A facade: the tree handling, shared with {@link Eqx}'s filtered forms, is in {@code TreeFunctions} and
 * {@link MaskedLeaves}, the machinery on flat lists of arrays in {@code dev.solstice.transform}
 * ({@code Autodiff}, {@link Jacobians}, {@code Vectorize}).
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> f = x -> Jnp.sum(Jnp.square(Jnp.sin(x)));
 * Jax.grad(f).apply(Array.of(0.0, Math.PI / 4))           // [0.0, 1.0]: sin 2x
 * Jax.hessian(f).apply(Array.of(0.0, 0.0))                // [[2.0, 0.0], [0.0, 2.0]]
 * Jax.vmap(Jax.grad(f)).apply(Jnp.zeros(3, 2))            // float64[3,2]: one gradient per row
 * Jax.jit(Jax.grad(f)).apply(Array.of(Math.PI / 4))       // [1.0]
 * }
 */
public final class Jax {
    private Jax() {}

    // ---- forward mode ---------------------------------------------------------------------------------

    /**
     * Taylor mode (JAX's {@code jet}): pushes a truncated power series through {@code f} in one pass, giving the
     * derivatives of {@code f(x(t))} at {@code t = 0} up to the series' order, where {@code x(t)} is the path with
     * {@code x(0) = primal} and derivatives {@code series}. The convention is JAX's: entry k-1 of a series is the
     * k-th derivative term (not divided by k!). So with {@code series = [v, 0, 0, ...]} the output's k-th entry is
     * the k-th directional derivative of {@code f} along {@code v}, which nested {@link #jvp} would need k levels
     * for. Rules cover the linear, structural and piecewise-linear primitives (whose series follow the branch the
     * primal selects), products, division, powers, every smooth elementwise function, sort and the cumulative
     * products, maxima and minima; a jitted function is run inside, and cond, while, fori, scan and
     * {@code Eqx.whileLoop} become the same control flow over the jets of their bodies (under jit too). Another
     * primitive (factorisations, cumlogsumexp, ...) is an {@link UnsupportedOperationException} naming it.
     *
     * {@snippet lang=java :
     * Array z = Array.scalar(0.0);
     * Jet j = Jax.jet(Jnp::sin, Array.scalar(0.0), List.of(Array.scalar(1.0), z, z));
     * j.series().get(0).item()        // 1.0: cos 0
     * j.series().get(2).item()        // -1.0: -cos 0
     * }
     *
     * @param f the function, of one array
     * @param primal the point
     * @param series the input's series, each of {@code primal}'s shape and dtype; its length is the order
     * @return the output and its series
     * @throws IllegalArgumentException if {@code primal} is not floating point or a series entry does not match it
     * @throws UnsupportedOperationException if {@code f} uses a primitive without a JVP rule (none of the library's; a user primitive may lack one)
     */
    public static Jet jet(UnaryOperator<Array> f, Array primal, List<Array> series) {
        Array[] out = TaylorMode.jet("jet", f, primal, series);
        return new Jet(out[0], List.of(out).subList(1, out.length));
    }

    /**
     * Forward mode: {@code f(x)} and its derivative along {@code v} (a tree of {@code x}'s structure).
     *
     * {@snippet lang=java :
     * Jax.jvp((Array x) -> x.mul(x), Array.of(3.0), Array.of(1.0)).tangent()    // [6.0]
     * }
     */
    public static <T, R> JvpResult<R> jvp(Function<T, R> f, T x, T v) {
        return TreeFunctions.jvp("jvp", f, MaskedLeaves.differentiable("jvp", x), v);
    }

    /**
     * {@code f(x)} and the linear map {@code v -> J v}, evaluated later without re-running {@code f}.
     *
     * {@snippet lang=java :
     * Jax.linearize((Array x) -> Jnp.sin(x), Array.scalar(0.0)).jvp().apply(Array.scalar(2.0))   // 2.0
     * }
     */
    public static <T, R> LinearizeResult<T, R> linearize(Function<T, R> f, T x) {
        return TreeFunctions.linearize("linearize", f, MaskedLeaves.differentiable("linearize", x));
    }

    // ---- reverse mode ---------------------------------------------------------------------------------

    /**
     * Reverse mode: {@code f(x)} and the pullback {@code c -> J^T c} (cotangents shaped like the output).
     *
     * {@snippet lang=java :
     * Jax.vjp((Array x) -> Jnp.exp(x), Array.scalar(0.0)).pullback().apply(Array.scalar(3.0))   // 3.0
     * }
     */
    public static <T, R> VjpResult<T, R> vjp(Function<T, R> f, T x) {
        return TreeFunctions.vjp("vjp", f, MaskedLeaves.differentiable("vjp", x));
    }

    /**
     * The gradient of a scalar-valued function of an array.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> d = Jax.grad(x -> x.pow(3));
     * d.apply(Array.scalar(2.0))                  // 12.0
     * Jax.grad(d).apply(Array.scalar(2.0))        // 12.0: 6x
     * }
     */
    public static UnaryOperator<Array> grad(UnaryOperator<Array> f) {
        Function<Array, Array> g = gradOf(f);
        return g::apply;
    }

    /**
     * The gradient of a scalar-valued function of a tree: a tree of the same structure and type.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * P g = Jax.grad((P q) -> Jnp.sum(q.w().mul(q.w())).mul(q.b())).apply(p);
     * g.w()                                       // [6.0, 12.0]
     * g.b()                                       // 5.0
     * }
     */
    public static <T> Function<T, T> grad(Function<T, Array> f) {
        return gradOf(f);
    }

    private static <T> Function<T, T> gradOf(Function<T, Array> f) {
        return x -> TreeFunctions.valueAndGrad("grad", OTHER_OUTPUTS, f, MaskedLeaves.differentiable("grad", x)).grad();
    }

    /**
     * The value and the gradient of a scalar-valued function of an array, computed together.
     *
     * {@snippet lang=java :
     * ValueAndGrad<Array> r = Jax.valueAndGrad(x -> Jnp.sum(Jnp.square(x))).apply(Array.of(1.0, 2.0));
     * r.value()                                   // 5.0
     * r.grad()                                    // [2.0, 4.0]
     * }
     */
    public static Function<Array, ValueAndGrad<Array>> valueAndGrad(UnaryOperator<Array> f) {
        return valueAndGradOf(f);
    }

    /**
     * The value and the gradient of a scalar-valued function of a tree.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Jax.valueAndGrad((P q) -> Jnp.sum(q.w()).mul(q.b())).apply(p).grad().b()    // 3.0
     * }
     */
    public static <T> Function<T, ValueAndGrad<T>> valueAndGrad(Function<T, Array> f) {
        return valueAndGradOf(f);
    }

    private static <T> Function<T, ValueAndGrad<T>> valueAndGradOf(Function<T, Array> f) {
        return x -> TreeFunctions.valueAndGrad("valueAndGrad", OTHER_OUTPUTS, f, MaskedLeaves.differentiable("valueAndGrad", x));
    }

    /**
     * Value and gradient of an array function that also returns an auxiliary output (JAX's
     * {@code has_aux}); the auxiliary output is carried along undifferentiated.
     *
     * {@snippet lang=java :
     * var r = Jax.valueAndGradWithAux((Array x) -> new WithAux<>(Jnp.sum(x.mul(x)), x.size())).apply(Array.of(1.0, 2.0));
     * r.grad()                                    // [2.0, 4.0]
     * r.aux()                                     // 2
     * }
     */
    public static <A> Function<Array, ValueAndGradAux<Array, A>> valueAndGradWithAux(Function<Array, WithAux<A>> f) {
        return withAux(f);
    }

    /**
     * {@link #valueAndGradWithAux(Function)} for a function of a tree.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * var r = Jax.valueAndGradWithAuxTree((P q) -> new WithAux<>(Jnp.sum(q.w()).mul(q.b()), "ok")).apply(p);
     * r.grad().w()                                // [3.0, 3.0]
     * r.aux()                                     // ok
     * }
     */
    public static <T, A> Function<T, ValueAndGradAux<T, A>> valueAndGradWithAuxTree(Function<T, WithAux<A>> f) {
        return withAux(f);
    }

    private static <T, A> Function<T, ValueAndGradAux<T, A>> withAux(Function<T, WithAux<A>> f) {
        String op = "valueAndGradWithAux";
        return x -> TreeFunctions.valueAndGradWithAux(op, OTHER_OUTPUTS, f, MaskedLeaves.differentiable(op, x));
    }

    /** What to use for a function whose value is not a scalar, for the gradients' messages. */
    private static final String OTHER_OUTPUTS = "Jax.jacrev or Jax.vjp";

    /**
     * The Hessian-vector product {@code H(x) v} of a scalar function of an array, by forward mode over
     * reverse mode ({@code jvp} of {@code grad}), without forming the Hessian.
     *
     * {@snippet lang=java :
     * Jax.hvp(x -> Jnp.sum(x.pow(3)), Array.of(1.0, 2.0), Array.of(1.0, 1.0))   // [6.0, 12.0]
     * }
     */
    public static Array hvp(UnaryOperator<Array> f, Array x, Array v) {
        return jvp(grad(f), x, v).tangent();
    }

    /**
     * The Laplacian {@code sum_i d^2 f / dx_i^2} of a scalar function of an array (every element of {@code x} is a
     * coordinate), exactly: one second-order Taylor series ({@link #jet}) along each coordinate direction, all of
     * them in one {@link #vmap} over the basis (the Hessian itself is never formed); every primitive with a JVP rule
     * has a Taylor rule, the factorisations included.
     * Composes with {@code grad}, {@code vmap} and {@code jit} like any function (a PINN's residual is
     * {@code laplacian(u)} at each collocation point).
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> f = x -> Jnp.sum(Jnp.power(x, 3.0));     // laplacian: 6 (x0 + x1)
     * Jax.laplacian(f).apply(Array.of(1.0, 2.0)).item()              // 18.0
     * }
     *
     * @param f a function returning a scalar
     * @return {@code x -> laplacian of f at x}, a scalar of {@code f}'s dtype
     */
    public static UnaryOperator<Array> laplacian(UnaryOperator<Array> f) {
        return x -> {
            int n = x.size();
            int[] shape = new int[x.ndim() + 1];
            shape[0] = n;
            System.arraycopy(x.shape(), 0, shape, 1, x.ndim());
            Array basis = Jnp.reshape(Jnp.eye(x.dtype(), n), shape);
            Array zero = Jnp.zerosLike(x);
            // Taylor mode (the second series entry along each coordinate) measured 15-25% faster than forward over
            // forward on tanh networks; a function using a primitive without a Taylor rule takes nested JVPs
            UnaryOperator<Array> viaJet = e -> jet(f, x, List.of(e, zero)).series().get(1);
            UnaryOperator<Array> viaJvp = e -> jvp((Array v) -> jvp(f, v, e).tangent(), x, e).tangent();
            try {
                return Jnp.sum(vmap(viaJet).apply(basis));
            } catch (dev.solstice.transform.TaylorMode.NoRule noRule) {
                return Jnp.sum(vmap(viaJvp).apply(basis));
            }
        };
    }

    /**
     * {@link #hvp(UnaryOperator, Array, Array)} for a scalar function of a tree; {@code v} has {@code x}'s structure.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * P hv = Jax.hvp((P q) -> Jnp.sum(q.w().mul(q.w())).mul(q.b()), p, new P(Array.of(1.0, 0.0), Array.scalar(0.0)));
     * hv.w()                                      // [6.0, 0.0]
     * hv.b()                                      // 2.0
     * }
     */
    public static <T> T hvp(Function<T, Array> f, T x, T v) {
        return jvp(gradOf(f), x, v).tangent();
    }

    // ---- Jacobians and Hessians -------------------------------------------------------------------------

    /**
     * The Jacobian of an array function by forward mode: shape {@code out.shape + in.shape}.
     *
     * {@snippet lang=java :
     * Jax.jacfwd(x -> x.mul(x)).apply(Array.of(1.0, 2.0))        // [[2.0, 0.0], [0.0, 4.0]]
     * }
     */
    public static UnaryOperator<Array> jacfwd(UnaryOperator<Array> f) {
        return TreeFunctions.arrayJacobian("jacfwd", f, MaskedLeaves::differentiable, true);
    }

    /**
     * The Jacobian of a tree function by forward mode (one JVP per input element), block by block: see
     * {@link TreeJacobian} (typed by the input; blocks by leaf path, rows as trees of the input's type, the dense
     * matrix, and JAX's tree-of-trees layout).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Jax.jacfwd((P q) -> q.w().mul(q.b())).apply(p).block("", "b")   // [1.0, 2.0]
     * }
     */
    public static <T> Function<T, TreeJacobian<T>> jacfwd(Function<T, ?> f) {
        return TreeFunctions.jacobian("jacfwd", f, MaskedLeaves::differentiable, true);
    }

    /**
     * The Jacobian of an array function by reverse mode: shape {@code out.shape + in.shape}.
     *
     * {@snippet lang=java :
     * Jax.jacrev(x -> Jnp.sin(x)).apply(Array.of(0.0, 0.0))       // [[1.0, 0.0], [0.0, 1.0]]
     * }
     */
    public static UnaryOperator<Array> jacrev(UnaryOperator<Array> f) {
        return TreeFunctions.arrayJacobian("jacrev", f, MaskedLeaves::differentiable, false);
    }

    /**
     * The Jacobian of a tree function by reverse mode (one pullback per output element); see {@link TreeJacobian}.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Jax.jacrev((P q) -> q.w().mul(q.b())).apply(p).block("", "w")   // [[3.0, 0.0], [0.0, 3.0]]
     * }
     */
    public static <T> Function<T, TreeJacobian<T>> jacrev(Function<T, ?> f) {
        return TreeFunctions.jacobian("jacrev", f, MaskedLeaves::differentiable, false);
    }

    /**
     * The Hessian of a scalar array function, {@code jacfwd(jacrev(f))}: shape {@code in.shape + in.shape}.
     *
     * {@snippet lang=java :
     * Jax.hessian(x -> Jnp.sum(x.pow(3))).apply(Array.of(1.0, 2.0))   // [[6.0, 0.0], [0.0, 12.0]]
     * }
     */
    public static UnaryOperator<Array> hessian(UnaryOperator<Array> f) {
        return TreeFunctions.arrayHessian("hessian", "jacrev", f, MaskedLeaves::differentiable);
    }

    /**
     * The Hessian of a scalar function of a tree, {@code jacfwd(jacrev(f))}: a {@link Hessian} typed by the input
     * (blocks by pairs of leaf paths, rows as trees of the input's type, the dense matrix, JAX's layout).
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Hessian<P> h = Jax.hessian((P q) -> Jnp.sum(q.w().mul(q.w())).mul(q.b())).apply(p);
     * h.block("w", "b")                           // [2.0, 4.0]
     * h.block("w", "w")                           // [[6.0, 0.0], [0.0, 6.0]]
     * }
     */
    public static <T> Function<T, Hessian<T>> hessian(Function<T, Array> f) {
        return TreeFunctions.hessian("hessian", "jacrev", f, MaskedLeaves::differentiable);
    }

    // ---- several arguments ----------------------------------------------------------------------------
    // Each packs the differentiated arguments in a Pair or Triple (ArgPacking) and runs the one-argument tree
    // transformation on it; an argument not differentiated is closed over, a constant. They always take an Argnums
    // (InAxes for vmap), so that a method reference overloaded by arity (model::apply with and without a key)
    // still resolves to the one-argument form.

    /**
     * The gradients of a scalar function of two arguments with respect to those {@code argnums} names, as a
     * {@link Pair} ({@code null} for the others): {@code Jax.grad((Array w, Array x) -> ..., Argnums.of(0, 1))}.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> Jnp.sum(a.mul(b));
     * Jax.grad(f, Argnums.of(0)).apply(Array.of(1.0), Array.of(5.0)).first()    // [5.0]
     * }
     */
    public static <A, B> BiFunction<A, B, Pair<A, B>> grad(BiFunction<A, B, Array> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("grad", argnums, 2);
        return (a, b) -> gradOf(ArgPacking.over(f, n, a, b)).apply(ArgPacking.select(n, a, b));
    }

    /**
     * The gradients of a scalar function of three arguments with respect to those {@code argnums} names, as a {@link Triple}.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).mul(c);
     * Jax.grad(f, Argnums.of(2)).apply(Array.scalar(2.0), Array.scalar(3.0), Array.scalar(4.0)).third()   // 6.0
     * }
     */
    public static <A, B, C> Fn3<A, B, C, Triple<A, B, C>> grad(Fn3<A, B, C, Array> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("grad", argnums, 3);
        return (a, b, c) -> gradOf(ArgPacking.over(f, n, a, b, c)).apply(ArgPacking.select(n, a, b, c));
    }

    /**
     * The value and the gradients ({@link #grad(BiFunction, Argnums)}) of a scalar function of two arguments.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> a.mul(b);
     * var r = Jax.valueAndGrad(f, Argnums.of(0, 1)).apply(Array.scalar(2.0), Array.scalar(3.0));
     * r.value()                                   // 6.0
     * r.grad().second()                           // 2.0
     * }
     */
    public static <A, B> BiFunction<A, B, ValueAndGrad<Pair<A, B>>> valueAndGrad(BiFunction<A, B, Array> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("valueAndGrad", argnums, 2);
        return (a, b) -> valueAndGradOf(ArgPacking.over(f, n, a, b)).apply(ArgPacking.select(n, a, b));
    }

    /**
     * The value and the gradients ({@link #grad(Fn3, Argnums)}) of a scalar function of three arguments.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).add(c);
     * var r = Jax.valueAndGrad(f, Argnums.of(0)).apply(Array.scalar(2.0), Array.scalar(3.0), Array.scalar(1.0));
     * r.value()                                   // 7.0
     * r.grad().first()                            // 3.0
     * }
     */
    public static <A, B, C> Fn3<A, B, C, ValueAndGrad<Triple<A, B, C>>> valueAndGrad(Fn3<A, B, C, Array> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("valueAndGrad", argnums, 3);
        return (a, b, c) -> valueAndGradOf(ArgPacking.over(f, n, a, b, c)).apply(ArgPacking.select(n, a, b, c));
    }

    /**
     * Reverse mode through both arguments: the pullback gives a {@link Pair} of cotangents.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> a.mul(b);
     * Jax.vjp(f, Array.of(2.0), Array.of(3.0)).pullback().apply(Array.of(1.0)).second()   // [2.0]
     * }
     */
    public static <A, B, R> VjpResult<Pair<A, B>, R> vjp(BiFunction<A, B, R> f, A a, B b) {
        return vjp(ArgPacking.packed(f), new Pair<>(a, b));
    }

    /**
     * Reverse mode through all three arguments: the pullback gives a {@link Triple} of cotangents.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).mul(c);
     * Jax.vjp(f, Array.of(2.0), Array.of(3.0), Array.of(4.0)).pullback().apply(Array.of(1.0)).first()   // [12.0]
     * }
     */
    public static <A, B, C, R> VjpResult<Triple<A, B, C>, R> vjp(Fn3<A, B, C, R> f, A a, B b, C c) {
        return vjp(ArgPacking.packed(f), new Triple<>(a, b, c));
    }

    /**
     * The Jacobian (forward mode) with respect to the arguments {@code argnums} names, input paths {@code first...}, {@code second...}.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> a.mul(b);
     * Jax.jacfwd(f, Argnums.of(1)).apply(Array.of(1.0, 2.0), Array.of(3.0, 4.0)).block("", "second")   // [[1.0, 0.0], [0.0, 2.0]]
     * }
     */
    public static <A, B> BiFunction<A, B, TreeJacobian<Pair<A, B>>> jacfwd(BiFunction<A, B, ?> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("jacfwd", argnums, 2);
        return (a, b) -> jacfwd(ArgPacking.over(f, n, a, b)).apply(ArgPacking.select(n, a, b));
    }

    /**
     * The Jacobian (forward mode) of a function of three arguments with respect to those {@code argnums} names.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).add(c);
     * Jax.jacfwd(f, Argnums.of(2)).apply(Array.of(1.0), Array.of(2.0), Array.of(3.0)).block("", "third")   // [[1.0]]
     * }
     */
    public static <A, B, C> Fn3<A, B, C, TreeJacobian<Triple<A, B, C>>> jacfwd(Fn3<A, B, C, ?> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("jacfwd", argnums, 3);
        return (a, b, c) -> jacfwd(ArgPacking.over(f, n, a, b, c)).apply(ArgPacking.select(n, a, b, c));
    }

    /**
     * The Jacobian (reverse mode) with respect to the arguments {@code argnums} names.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> a.mul(b);
     * Jax.jacrev(f, Argnums.of(0, 1)).apply(Array.of(2.0), Array.of(3.0)).asMatrix()   // [[3.0, 2.0]]
     * }
     */
    public static <A, B> BiFunction<A, B, TreeJacobian<Pair<A, B>>> jacrev(BiFunction<A, B, ?> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("jacrev", argnums, 2);
        return (a, b) -> jacrev(ArgPacking.over(f, n, a, b)).apply(ArgPacking.select(n, a, b));
    }

    /**
     * The Jacobian (reverse mode) of a function of three arguments with respect to those {@code argnums} names.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).mul(c);
     * Jax.jacrev(f, Argnums.of(0, 1, 2)).apply(Array.of(2.0), Array.of(3.0), Array.of(4.0)).asMatrix()   // [[12.0, 8.0, 6.0]]
     * }
     */
    public static <A, B, C> Fn3<A, B, C, TreeJacobian<Triple<A, B, C>>> jacrev(Fn3<A, B, C, ?> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("jacrev", argnums, 3);
        return (a, b, c) -> jacrev(ArgPacking.over(f, n, a, b, c)).apply(ArgPacking.select(n, a, b, c));
    }

    /**
     * The Hessian with respect to the arguments {@code argnums} names (cross blocks {@code block("first", "second")} included).
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> a.mul(a).mul(b);
     * Jax.hessian(f, Argnums.of(0, 1)).apply(Array.scalar(3.0), Array.scalar(5.0)).asMatrix()   // [[10.0, 6.0], [6.0, 0.0]]
     * }
     */
    public static <A, B> BiFunction<A, B, Hessian<Pair<A, B>>> hessian(BiFunction<A, B, Array> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("hessian", argnums, 2);
        return (a, b) -> hessian(ArgPacking.over(f, n, a, b)).apply(ArgPacking.select(n, a, b));
    }

    /**
     * The Hessian of a scalar function of three arguments with respect to those {@code argnums} names.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).mul(c);
     * Jax.hessian(f, Argnums.of(0, 1)).apply(Array.scalar(2.0), Array.scalar(3.0), Array.scalar(4.0)).asMatrix()   // [[0.0, 4.0], [4.0, 0.0]]
     * }
     */
    public static <A, B, C> Fn3<A, B, C, Hessian<Triple<A, B, C>>> hessian(Fn3<A, B, C, Array> f, Argnums argnums) {
        Argnums n = ArgPacking.checked("hessian", argnums, 3);
        return (a, b, c) -> hessian(ArgPacking.over(f, n, a, b, c)).apply(ArgPacking.select(n, a, b, c));
    }

    // ---- checkpointing ---------------------------------------------------------------------------------

    /**
     * {@code f} as one checkpointed (rematerialised) operation, as {@code jax.checkpoint}: values are unchanged, but
     * reverse mode stores none of {@code f}'s intermediates, only its inputs, and recomputes the intermediates in
     * the backward pass (trading compute for memory). {@code f} is staged on every call.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> f = Jax.checkpoint((Array x) -> Jnp.sin(Jnp.sin(x)));
     * Jax.grad(f).apply(Array.scalar(1.0))        // 0.36003948908962097
     * }
     */
    public static UnaryOperator<Array> checkpoint(UnaryOperator<Array> f) {
        return checkpoint(f, CheckpointPolicy.nothingSaveable());
    }

    /**
     * {@link #checkpoint(UnaryOperator)} saving the intermediates {@code policy} allows.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> f = Jax.checkpoint((Array x) -> Jnp.exp(Jnp.exp(x)), CheckpointPolicy.everythingSaveable());
     * Jax.grad(f).apply(Array.scalar(0.0))        // 2.718281828459045
     * }
     */
    public static UnaryOperator<Array> checkpoint(UnaryOperator<Array> f, CheckpointPolicy policy) {
        Function<Array, Array> c = checkpoint((Function<Array, Array>) f, policy);
        return c::apply;
    }

    /**
     * {@link #checkpoint(UnaryOperator)} for a function of a tree.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Function<P, Array> f = Jax.checkpoint((P q) -> Jnp.sum(q.w()).mul(q.b()));
     * Jax.grad(f).apply(p).b()                    // 3.0
     * }
     */
    public static <T, R> Function<T, R> checkpoint(Function<T, R> f) {
        return checkpoint(f, CheckpointPolicy.nothingSaveable());
    }

    /**
     * {@link #checkpoint(Function)} saving the intermediates {@code policy} allows and recomputing the others.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Function<P, Array> f = Jax.checkpoint((P q) -> Jnp.sum(q.w()).mul(q.b()), CheckpointPolicy.dotsSaveable());
     * Jax.grad(f).apply(p).w()                    // [3.0, 3.0]
     * }
     */
    public static <T, R> Function<T, R> checkpoint(Function<T, R> f, CheckpointPolicy policy) {
        java.util.Objects.requireNonNull(policy, "Jax.checkpoint: the policy");
        return x -> Checkpoint.apply("Jax.checkpoint", f, policy, x);
    }

    // ---- staging: jit ------------------------------------------------------------------------------------

    /**
     * Compiles an array function (JAX's {@code jax.jit}): traced once per shape and dtype of its argument, then run
     * as one staged program. See {@link Jitted}.
     *
     * {@snippet lang=java :
     * JittedArray f = Jax.jit(x -> Jnp.sum(Jnp.square(x)));
     * f.apply(Array.of(3.0, 4.0))                 // 25.0
     * Jax.grad(f).apply(Array.of(3.0, 4.0))       // [6.0, 8.0]
     * }
     */
    public static JittedArray jit(UnaryOperator<Array> f) {
        return jit(f, JitOptions.DEFAULT);
    }

    /**
     * {@link #jit(UnaryOperator)} with options (a cache bound, a name).
     *
     * {@snippet lang=java :
     * JittedArray f = Jax.jit(x -> x.mul(2.0), JitOptions.named("double"));
     * f.apply(Array.of(1.0))                      // [2.0]
     * }
     */
    public static JittedArray jit(UnaryOperator<Array> f, JitOptions options) {
        return new JittedArray(staged(f, options));
    }

    /**
     * Compiles a function of a tree: its array leaves are traced; Java numbers and booleans are static (a new value
     * traces again; pass {@code Array.scalar(x)} for a number that changes); any other leaf is an error unless its
     * top-level entry is static ({@link JitOptions#staticArgs}). {@link Eqx#filterJit} keeps every non-array leaf
     * static instead.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Jitted<P, Array> f = Jax.jit((P q) -> q.w().mul(q.b()));
     * f.apply(p)                                  // [3.0, 6.0]
     * }
     */
    public static <T, R> Jitted<T, R> jit(Function<T, R> f) {
        return jit(f, JitOptions.DEFAULT);
    }

    /**
     * {@link #jit(Function)} with options: static arguments, the number of traces kept, a name.
     *
     * {@snippet lang=java :
     * Jitted<List<Object>, Array> f = Jax.jit((List<Object> a) -> ((Array) a.get(0)).pow((Integer) a.get(1)),
     *         JitOptions.staticArgs(1));
     * f.apply(List.of(Array.of(2.0), 3))          // [8.0]
     * }
     */
    public static <T, R> Jitted<T, R> jit(Function<T, R> f, JitOptions options) {
        return jitOf(f, options);
    }

    private static <T, R> Jitted<T, R> jitOf(Function<T, R> f, JitOptions options) {
        return new Jitted<>(staged(f, options));
    }

    private static <T, R> StagedFunction<T, R> staged(Function<T, R> f, JitOptions options) {
        return new StagedFunction<>(options.name(), f, StagedFunction.Mode.JIT, options.staticKeys(), options.maxCacheEntries());
    }

    /**
     * The program {@code f} stages for an argument (JAX's {@code make_jaxpr}), printed in JAX's jaxpr layout by
     * its {@code toString}. The argument is {@code f}'s, or the same tree with {@link dev.solstice.core.Aval}s (shapes
     * and dtypes only) in place of some or all arrays, which is why the returned function takes any object; any
     * other leaf is static. Nothing is computed.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Jax.makeJaxpr((P q) -> q.w().mul(q.b())).apply(p).toString().contains("mul")   // true
     * }
     */
    public static <T> Function<Object, ClosedProgram> makeJaxpr(Function<T, ?> f) {
        return x -> StagedFunction.traceOnce(f, x).program();
    }

    /**
     * {@link #makeJaxpr(Function)} typed for an array function.
     *
     * {@snippet lang=java :
     * Jax.makeJaxpr(x -> Jnp.sin(x)).apply(Array.of(1.0)).toString().contains("sin")   // true
     * }
     */
    public static Function<Object, ClosedProgram> makeJaxpr(UnaryOperator<Array> f) {
        return x -> StagedFunction.traceOnce(f, x).program();
    }

    /**
     * The shapes and dtypes {@code f} would return (JAX's {@code eval_shape}), computing nothing: the result's tree
     * with an {@link dev.solstice.core.Aval} in place of each array (a record whose components cannot hold one
     * comes back as a {@link dev.solstice.tree.Struct}). As for {@link #makeJaxpr}, the argument's arrays may be
     * given as avals.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Object shape = Jax.evalShape((P q) -> q.w().mul(q.b())).apply(p);
     * shape.toString()                            // float64[2]
     * }
     */
    public static <T, S> Function<Object, S> evalShape(Function<T, ?> f) {
        return x -> {
            StagedFunction.Traced t = StagedFunction.traceOnce(f, x);
            return Tree.unflatten(t.outDef(), List.of(t.program().outAvals()));
        };
    }

    /**
     * {@link #evalShape(Function)} typed for an array function.
     *
     * {@snippet lang=java :
     * Jax.evalShape(x -> x.matmul(x.transpose())).apply(Jnp.zeros(3, 2)).toString()   // float64[3,3]
     * }
     */
    public static Function<Object, Aval> evalShape(UnaryOperator<Array> f) {
        return x -> StagedFunction.traceOnce(f, x).program().outAvals()[0];
    }

    // ---- vmap ---------------------------------------------------------------------------------------------

    /**
     * Vectorises an array function over axis 0 of its input and output.
     *
     * {@snippet lang=java :
     * Jax.vmap(x -> Jnp.sum(x)).apply(Array.of(new double[] {1, 2, 3, 4}, 2, 2))   // [3.0, 7.0]
     * }
     */
    public static UnaryOperator<Array> vmap(UnaryOperator<Array> f) {
        Function<Array, Array> v = vmap(f, 0, 0);
        return v::apply;
    }

    /**
     * Vectorises a tree function over axis 0 of every input and output leaf.
     *
     * {@snippet lang=java :
     * record P(Array w, Array b) {}
     * P p = new P(Array.of(1.0, 2.0), Array.scalar(3.0));
     * Function<P, Array> f = Jax.vmap((P q) -> q.w().mul(q.b()));
     * f.apply(new P(Array.of(1.0, 2.0), Array.of(10.0, 100.0)))   // [10.0, 200.0]: one example per row
     * }
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f) {
        return vmap(f, 0, 0);
    }

    /**
     * Vectorises {@code f}: {@code inAxes} says which axis of each input leaf runs over the examples and
     * {@code outAxes} where the examples go in each output leaf. Each is an {@code Integer} (negative counts
     * from the end), {@code null} (not batched; for an output, one that must not vary), or a tree that is a
     * prefix of the argument's (or output's) structure holding those, as JAX's {@code in_axes}/{@code out_axes}.
     *
     * {@snippet lang=java :
     * Function<Array, Array> colSums = Jax.vmap((Array x) -> Jnp.sum(x), 1, 0);
     * colSums.apply(Array.of(new double[] {1, 2, 3, 4}, 2, 2))    // [4.0, 6.0]
     * }
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes) {
        return vmap(f, inAxes, outAxes, -1);
    }

    /**
     * {@link #vmap(Function, Object, Object)} with the batch size given, for a function none of whose inputs
     * is batched ({@code axisSize} must then be non-negative; it is checked against batched inputs otherwise).
     *
     * {@snippet lang=java :
     * Jax.vmap((Array x) -> x.mul(2.0), null, 0, 3).apply(Array.scalar(1.0))   // [2.0, 2.0, 2.0]
     * }
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, int axisSize) {
        return vmap(f, inAxes, outAxes, axisSize, null);
    }

    /**
     * {@link #vmap(Function, Object, Object)} with an axis name: inside {@code f}, collectives such as
     * {@link Lax#psum(Array, String)} and {@link Lax#pmean(Array, String)} with that name act across the
     * examples (batch statistics, as JAX's {@code axis_name}).
     *
     * {@snippet lang=java :
     * Function<Array, Array> centre = Jax.vmap((Array x) -> x.sub(Lax.pmean(x, "batch")), 0, 0, "batch");
     * centre.apply(Array.of(1.0, 2.0, 6.0))       // [-2.0, -1.0, 3.0]
     * }
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, String axisName) {
        return vmap(f, inAxes, outAxes, -1, axisName);
    }

    /**
     * {@link #vmap(Function, Object, Object, String)} with the batch size given (see {@link #vmap(Function, Object, Object, int)}).
     *
     * {@snippet lang=java :
     * Jax.vmap((Array x) -> Lax.psum(x, "i"), 0, 0, 3, "i").apply(Array.of(1.0, 2.0, 3.0))   // [6.0, 6.0, 6.0]
     * }
     */
    public static <T, R> Function<T, R> vmap(Function<T, R> f, Object inAxes, Object outAxes, int axisSize, String axisName) {
        Object spec = inAxes instanceof InAxes i ? i.forArity("vmap", 1)[0] : inAxes;
        return TreeFunctions.vmap(f, spec, outAxes, axisSize, axisName);
    }

    /**
     * Vectorises a function of two arguments: {@code inAxes} gives each argument's spec ({@code InAxes.of(null, 0)}:
     * the first not batched), {@code outAxes} the output's, as {@link #vmap(Function, Object, Object)}.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (w, x) -> Jnp.sum(w.mul(x));
     * Jax.vmap(f, InAxes.of(null, 0), 0).apply(Array.of(1.0, 1.0), Array.of(new double[] {1, 2, 3, 4}, 2, 2))   // [3.0, 7.0]
     * }
     */
    public static <A, B, R> BiFunction<A, B, R> vmap(BiFunction<A, B, R> f, InAxes inAxes, Object outAxes) {
        return vmap(f, inAxes, outAxes, -1);
    }

    /**
     * {@link #vmap(BiFunction, InAxes, Object)} with the batch size given (needed for {@link InAxes#none()}).
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> f = (a, b) -> a.add(b);
     * Jax.vmap(f, InAxes.none(), 0, 2).apply(Array.scalar(1.0), Array.scalar(2.0))   // [3.0, 3.0]
     * }
     */
    public static <A, B, R> BiFunction<A, B, R> vmap(BiFunction<A, B, R> f, InAxes inAxes, Object outAxes, int axisSize) {
        Object[] ax = inAxes.forArity("vmap", 2);
        Function<Pair<A, B>, R> v = vmap(ArgPacking.packed(f), new Pair<>(ax[0], ax[1]), outAxes, axisSize);
        return (a, b) -> v.apply(new Pair<>(a, b));
    }

    /**
     * Vectorises a function of three arguments: {@code InAxes.of(null, 0, 0)} batches the last two along axis 0.
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (w, x, y) -> Jnp.sum(w.mul(x)).sub(y);
     * Jax.vmap(f, InAxes.of(null, 0, 0), 0).apply(Array.of(1.0, 1.0), Array.of(new double[] {1, 2, 3, 4}, 2, 2), Array.of(3.0, 0.0))   // [0.0, 7.0]
     * }
     */
    public static <A, B, C, R> Fn3<A, B, C, R> vmap(Fn3<A, B, C, R> f, InAxes inAxes, Object outAxes) {
        return vmap(f, inAxes, outAxes, -1);
    }

    /**
     * {@link #vmap(Fn3, InAxes, Object)} with the batch size given (needed for {@link InAxes#none()}).
     *
     * {@snippet lang=java :
     * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.add(b).add(c);
     * Jax.vmap(f, InAxes.none(), 0, 2).apply(Array.scalar(1.0), Array.scalar(2.0), Array.scalar(3.0))   // [6.0, 6.0]
     * }
     */
    public static <A, B, C, R> Fn3<A, B, C, R> vmap(Fn3<A, B, C, R> f, InAxes inAxes, Object outAxes, int axisSize) {
        Object[] ax = inAxes.forArity("vmap", 3);
        Function<Triple<A, B, C>, R> v = vmap(ArgPacking.packed(f), new Triple<>(ax[0], ax[1], ax[2]), outAxes, axisSize);
        return (a, b, c) -> v.apply(new Triple<>(a, b, c));
    }


    // ---- custom rules -------------------------------------------------------------------------------------

    /**
     * A function with a custom JVP rule (JAX's {@code custom_jvp}): {@code f} computes the value, and under
     * differentiation {@code rule(x, t)} gives the value and the tangent instead. The rule is itself
     * differentiated by enclosing transformations, so it works in every mode and to any order.
     *
     * <p>Under a transformation {@code f} is staged (traced once per call to a program), so it must not ask a
     * traced value for its numbers. Values it captures are passed to the call as operands, as JAX's closure
     * conversion does: under vmap a captured batched value is batched like an argument and the rule is kept
     * (in every nesting order); differentiating with respect to a captured value is an error, since the rule
     * covers only {@code x} (pass the value in as an argument, over a tree with {@link Eqx#filterCustomJvp}).
     * The rule may close over outer values too; where it closes over a value vmap batches, that value should be
     * one {@code f} uses (or the argument), so that the call carries it.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> softplus = Jax.customJvp(x -> Jnp.log1p(Jnp.exp(x)),
     *         (x, t) -> new JvpResult<>(Jnp.log1p(Jnp.exp(x)), t.mul(Lax.logistic(x))));
     * Jax.grad(softplus).apply(Array.scalar(0.0))     // 0.5
     * }
     */
    public static UnaryOperator<Array> customJvp(Function<Array, Array> f, BiFunction<Array, Array, JvpResult<Array>> rule) {
        BiFunction<Array[], Array[], Array[][]> flatRule = (p, t) -> {
            JvpResult<Array> r = rule.apply(p[0], t[0]);
            if (r == null || r.primal() == null || r.tangent() == null) {
                throw new IllegalArgumentException("customJvp: the JVP rule must return a primal and a tangent, got " + r);
            }
            return new Array[][] {{r.primal()}, {r.tangent()}};
        };
        Function<Array[], Array[]> flat = in -> new Array[] {f.apply(in[0])};
        return x -> CustomCalls.customJvp(flat, flatRule, new Array[] {x})[0];
    }

    /**
     * A function with a custom reverse-mode rule (JAX's {@code custom_vjp}): {@code f} computes the value;
     * under reverse-mode differentiation {@code fwd} computes the value and residuals and {@code bwd(residuals,
     * cotangent)} the input cotangent. Forward mode through it is an error, as in JAX. Forward mode over
     * reverse mode (a Hessian) differentiates {@code fwd} and {@code bwd} themselves, which are ordinary
     * code; unlike JAX this works, and it gives the true second derivative when {@code bwd} is the true
     * gradient (if {@code fwd} calls the customVjp function itself, the forward-mode error appears).
     * Values {@code f} captures are handled as for {@link #customJvp}.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> square = Jax.customVjp(x -> x.mul(x), x -> new CustomVjpFwd(x.mul(x), x),
     *         (residuals, g) -> g.mul(residuals.get(0)).mul(2.0));
     * Jax.grad(square).apply(Array.scalar(3.0))       // 6.0
     * }
     */
    public static UnaryOperator<Array> customVjp(Function<Array, Array> f, Function<Array, CustomVjpFwd> fwd,
            BiFunction<List<Array>, Array, Array> bwd) {
        Function<Array[], Array[][]> flatFwd = p -> {
            CustomVjpFwd r = fwd.apply(p[0]);
            return new Array[][] {{r.output()}, r.residuals().toArray(Array[]::new)};
        };
        BiFunction<Array[], Array[], Array[]> flatBwd = (res, ct) -> new Array[] {bwd.apply(List.of(res), ct[0])};
        Function<Array[], Array[]> flat = in -> new Array[] {f.apply(in[0])};
        return x -> CustomCalls.customVjp(flat, flatFwd, flatBwd, new Array[] {x})[0];
    }
}
