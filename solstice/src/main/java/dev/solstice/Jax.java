package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.transform.Checkpoint;
import dev.solstice.transform.CustomCalls;
import dev.solstice.transform.Jacobians;
import dev.solstice.transform.MaskedLeaves;
import dev.solstice.transform.StagedFunction;
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
 * needs no parameter type, and gets an array-to-array function back. A lambda over a tree therefore needs
 * its parameter type written out ({@code (Affine m) -> ...}), or it is taken for an array lambda.
 *
 * <p>Every transformation returns real zeros for an output that does not depend on its input (a constant,
 * a closed-over array, a value of an outer transformation): a value is never taken for its own derivative.
 *
 * <p>A facade: the tree handling, shared with {@link Eqx}'s filtered forms, is in {@code TreeFunctions} and
 * {@link MaskedLeaves}, the machinery on flat lists of arrays in {@code dev.solstice.transform}
 * ({@code Autodiff}, {@link Jacobians}, {@code Vectorize}).
 */
public final class Jax {
    private Jax() {}

    // ---- forward mode ---------------------------------------------------------------------------------

    /** Forward mode: {@code f(x)} and its derivative along {@code v} (a tree of {@code x}'s structure). */
    public static <T, R> JvpResult<R> jvp(Function<T, R> f, T x, T v) {
        return TreeFunctions.jvp("jvp", f, MaskedLeaves.differentiable("jvp", x), v);
    }

    /** {@code f(x)} and the linear map {@code v -> J v}, evaluated later without re-running {@code f}. */
    public static <T, R> LinearizeResult<T, R> linearize(Function<T, R> f, T x) {
        return TreeFunctions.linearize("linearize", f, MaskedLeaves.differentiable("linearize", x));
    }

    // ---- reverse mode ---------------------------------------------------------------------------------

    /** Reverse mode: {@code f(x)} and the pullback {@code c -> J^T c} (cotangents shaped like the output). */
    public static <T, R> VjpResult<T, R> vjp(Function<T, R> f, T x) {
        return TreeFunctions.vjp("vjp", f, MaskedLeaves.differentiable("vjp", x));
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
        return x -> TreeFunctions.valueAndGrad("grad", OTHER_OUTPUTS, f, MaskedLeaves.differentiable("grad", x)).grad();
    }

    /** The value and the gradient of a scalar-valued function of an array, computed together. */
    public static Function<Array, ValueAndGrad<Array>> valueAndGrad(UnaryOperator<Array> f) {
        return valueAndGradOf(f);
    }

    /** The value and the gradient of a scalar-valued function of a tree. */
    public static <T> Function<T, ValueAndGrad<T>> valueAndGrad(Function<T, Array> f) {
        return valueAndGradOf(f);
    }

    private static <T> Function<T, ValueAndGrad<T>> valueAndGradOf(Function<T, Array> f) {
        return x -> TreeFunctions.valueAndGrad("valueAndGrad", OTHER_OUTPUTS, f, MaskedLeaves.differentiable("valueAndGrad", x));
    }

    /**
     * Value and gradient of an array function that also returns an auxiliary output (JAX's
     * {@code has_aux}); the auxiliary output is carried along undifferentiated.
     */
    public static <A> Function<Array, ValueAndGradAux<Array, A>> valueAndGradWithAux(Function<Array, WithAux<A>> f) {
        return withAux(f);
    }

    /** {@link #valueAndGradWithAux(Function)} for a function of a tree. */
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
        return Jacobians.of("jacfwd", f, MaskedLeaves::differentiable, true);
    }

    /**
     * The Jacobian of a tree function by forward mode (one JVP per input element): a tree of the output's
     * structure whose leaves are trees of the input's structure, with leaf shapes {@code out + in}. For an
     * array input or output that level is the array itself.
     */
    public static <T, J> Function<T, J> jacfwd(Function<T, ?> f) {
        return Jacobians.of("jacfwd", f, MaskedLeaves::differentiable, true);
    }

    /** The Jacobian of an array function by reverse mode: shape {@code out.shape + in.shape}. */
    public static Function<Array, Array> jacrev(UnaryOperator<Array> f) {
        return Jacobians.of("jacrev", f, MaskedLeaves::differentiable, false);
    }

    /** The Jacobian of a tree function by reverse mode (one pullback per output element); layout as {@link #jacfwd(Function)}. */
    public static <T, J> Function<T, J> jacrev(Function<T, ?> f) {
        return Jacobians.of("jacrev", f, MaskedLeaves::differentiable, false);
    }

    /** The Hessian of a scalar array function, {@code jacfwd(jacrev(f))}: shape {@code in.shape + in.shape}. */
    public static Function<Array, Array> hessian(UnaryOperator<Array> f) {
        return hessianOf(f);
    }

    /**
     * The Hessian of a scalar function of a tree, {@code jacfwd(jacrev(f))}: a tree of trees of the input's
     * structure (records that cannot hold trees become {@link dev.solstice.tree.Struct}s of the same shape).
     */
    public static <T, H> Function<T, H> hessian(Function<T, Array> f) {
        return hessianOf(f);
    }

    private static <T, H> Function<T, H> hessianOf(Function<T, Array> f) {
        return Jacobians.of("hessian", Jacobians.of("jacrev", f, MaskedLeaves::differentiable, false),
                MaskedLeaves::differentiable, true);
    }

    // ---- checkpointing ---------------------------------------------------------------------------------

    /**
     * {@code f} as one checkpointed (rematerialised) operation, as {@code jax.checkpoint}: values are unchanged, but
     * reverse mode stores none of {@code f}'s intermediates, only its inputs, and recomputes the intermediates in
     * the backward pass (trading compute for memory). {@code f} is staged on every call.
     */
    public static <T, R> Function<T, R> checkpoint(Function<T, R> f) {
        return checkpoint(f, CheckpointPolicy.nothingSaveable());
    }

    /** {@link #checkpoint(Function)} saving the intermediates {@code policy} allows and recomputing the others. */
    public static <T, R> Function<T, R> checkpoint(Function<T, R> f, CheckpointPolicy policy) {
        java.util.Objects.requireNonNull(policy, "Jax.checkpoint: the policy");
        return x -> Checkpoint.apply("Jax.checkpoint", f, policy, x);
    }

    // ---- staging: jit ------------------------------------------------------------------------------------

    /**
     * Compiles an array function (JAX's {@code jax.jit}): traced once per shape and dtype of its argument, then run
     * as one staged program. See {@link Jitted}.
     */
    public static Jitted<Array, Array> jit(UnaryOperator<Array> f) {
        return jit(f, JitOptions.DEFAULT);
    }

    /** {@link #jit(UnaryOperator)} with options (a cache bound, a name). */
    public static Jitted<Array, Array> jit(UnaryOperator<Array> f, JitOptions options) {
        return jitOf(f, options);
    }

    /**
     * Compiles a function of a tree: its array leaves are traced; Java numbers and booleans are static (a new value
     * traces again; pass {@code Array.scalar(x)} for a number that changes); any other leaf is an error unless its
     * top-level entry is static ({@link JitOptions#staticArgs}). {@link Eqx#filterJit} keeps every non-array leaf
     * static instead.
     */
    public static <T, R> Jitted<T, R> jit(Function<T, R> f) {
        return jit(f, JitOptions.DEFAULT);
    }

    /** {@link #jit(Function)} with options: static arguments, the number of traces kept, a name. */
    public static <T, R> Jitted<T, R> jit(Function<T, R> f, JitOptions options) {
        return jitOf(f, options);
    }

    private static <T, R> Jitted<T, R> jitOf(Function<T, R> f, JitOptions options) {
        return new Jitted<>(new StagedFunction<>(options.name(), f, StagedFunction.Mode.JIT, options.staticKeys(),
                options.maxCacheEntries()));
    }

    /**
     * The program {@code f} stages for an argument (JAX's {@code make_jaxpr}), printed in JAX's jaxpr layout by
     * its {@code toString}. The argument is {@code f}'s, or the same tree with {@link dev.solstice.core.Aval}s (shapes
     * and dtypes only) in place of some or all arrays, which is why the returned function takes any object; any
     * other leaf is static. Nothing is computed.
     */
    public static <T> Function<Object, ClosedProgram> makeJaxpr(Function<T, ?> f) {
        return x -> StagedFunction.traceOnce(f, x).program();
    }

    /** {@link #makeJaxpr(Function)} typed for an array function. */
    public static Function<Object, ClosedProgram> makeJaxpr(UnaryOperator<Array> f) {
        return x -> StagedFunction.traceOnce(f, x).program();
    }

    /**
     * The shapes and dtypes {@code f} would return (JAX's {@code eval_shape}), computing nothing: the result's tree
     * with an {@link dev.solstice.core.Aval} in place of each array (a record whose components cannot hold one
     * comes back as a {@link dev.solstice.tree.Struct}). As for {@link #makeJaxpr}, the argument's arrays may be
     * given as avals.
     */
    public static <T, S> Function<Object, S> evalShape(Function<T, ?> f) {
        return x -> {
            StagedFunction.Traced t = StagedFunction.traceOnce(f, x);
            return Tree.unflatten(t.outDef(), List.of(t.program().outAvals()));
        };
    }

    /** {@link #evalShape(Function)} typed for an array function. */
    public static Function<Object, Aval> evalShape(UnaryOperator<Array> f) {
        return x -> StagedFunction.traceOnce(f, x).program().outAvals()[0];
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
        return TreeFunctions.vmap(f, inAxes, outAxes, axisSize, axisName);
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
     */
    public static Function<Array, Array> customJvp(Function<Array, Array> f, BiFunction<Array, Array, JvpResult<Array>> rule) {
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
     */
    public static Function<Array, Array> customVjp(Function<Array, Array> f, Function<Array, CustomVjpFwd> fwd,
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
