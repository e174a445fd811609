package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import dev.solstice.transform.Autodiff;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * JAX's function transformations: {@link #jvp}, {@link #linearize}, {@link #vjp}, {@link #grad},
 * {@link #valueAndGrad}, {@link #jacfwd}, {@link #jacrev}, {@link #hessian}, {@link #customJvp} and
 * {@link #customVjp}. They nest in any order to any depth: the function given may itself call transformed
 * functions, and close over values of enclosing transformations.
 *
 * <p>Every transformation returns real zeros for an output that does not depend on its input (a constant,
 * a closed-over array, a value of an outer transformation): a value is never taken for its own derivative.
 */
public final class Jax {
    private Jax() {}

    private static Function<Array[], Array[]> flat(Function<Array, Array> f) {
        return in -> new Array[] {f.apply(in[0])};
    }

    /** Forward mode: {@code f(x)} and its derivative along {@code v} (same shape and dtype as {@code x}). */
    public static JvpResult<Array> jvp(Function<Array, Array> f, Array x, Array v) {
        Array[][] r = Autodiff.jvp("jvp", flat(f), new Array[] {x}, new Array[] {v});
        return new JvpResult<>(r[0][0], r[1][0]);
    }

    /** {@code f(x)} and the linear map {@code v -> J v}, evaluated without re-running {@code f}. */
    public static LinearizeResult<Array, Array> linearize(Function<Array, Array> f, Array x) {
        Autodiff.Linearized lin = Autodiff.linearize("linearize", flat(f), new Array[] {x});
        return new LinearizeResult<>(lin.outputs()[0], v -> lin.jvp(new Array[] {v})[0]);
    }

    /** Reverse mode: {@code f(x)} and the pullback {@code c -> J^T c}. */
    public static VjpResult<Array, Array> vjp(Function<Array, Array> f, Array x) {
        Autodiff.Linearized lin = Autodiff.linearize("vjp", flat(f), new Array[] {x});
        return new VjpResult<>(lin.outputs()[0], c -> lin.vjp(new Array[] {c})[0]);
    }

    /** The gradient of a scalar-valued function: a function of the same input type. */
    public static Function<Array, Array> grad(Function<Array, Array> f) {
        return x -> valueAndGrad("grad", f).apply(x).grad();
    }

    /** The value and the gradient of a scalar-valued function, computed together. */
    public static Function<Array, ValueAndGrad<Array>> valueAndGrad(Function<Array, Array> f) {
        return valueAndGrad("valueAndGrad", f);
    }

    private static Function<Array, ValueAndGrad<Array>> valueAndGrad(String op, Function<Array, Array> f) {
        return x -> {
            Autodiff.Linearized lin = Autodiff.linearize(op, flat(f), new Array[] {x});
            Array value = lin.outputs()[0];
            return new ValueAndGrad<>(value, lin.vjp(new Array[] {unitCotangent(op, value)})[0]);
        };
    }

    /**
     * Value and gradient of a function that also returns an auxiliary output (JAX's {@code has_aux}); the
     * auxiliary output is carried along undifferentiated.
     */
    public static <A> Function<Array, ValueAndGradAux<Array, A>> valueAndGradWithAux(Function<Array, WithAux<A>> f) {
        return x -> {
            Object[] aux = new Object[1];
            Autodiff.Linearized lin = Autodiff.linearize("valueAndGradWithAux", in -> {
                WithAux<A> r = f.apply(in[0]);
                aux[0] = r.aux();
                return new Array[] {r.value()};
            }, new Array[] {x});
            Array value = lin.outputs()[0];
            Array grad = lin.vjp(new Array[] {unitCotangent("valueAndGradWithAux", value)})[0];
            @SuppressWarnings("unchecked")
            A a = (A) lower(aux[0], lin);
            return new ValueAndGradAux<>(value, a, grad);
        };
    }

    private static Object lower(Object aux, Autodiff.Linearized lin) {
        return switch (aux) {
            case Array a -> lin.lower().apply(a);
            case List<?> l -> l.stream().map(e -> lower(e, lin)).toList();
            case null, default -> aux;
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
     * The Jacobian by forward mode: one JVP per input element. The result has shape
     * {@code out.shape + in.shape}.
     */
    public static Function<Array, Array> jacfwd(Function<Array, Array> f) {
        return x -> {
            checkFloatingInput("jacfwd", x);
            Aval in = x.aval();
            int n = in.size();
            Array[] columns = new Array[n];
            Aval out = null;
            for (int k = 0; k < n; k++) {
                Array[][] r = Autodiff.jvp("jacfwd", flat(f), new Array[] {x}, new Array[] {basis(in, k)});
                out = r[1][0].aval();
                checkFloatingOutput("jacfwd", out);
                columns[k] = Lax.reshape(r[1][0], out.size(), 1);
            }
            if (n == 0) {
                out = Interpreters.runWith(Interpreters.current(), () -> f.apply(x)).aval();
                return Lax.full(new Aval(out.dtype(), concat(out.shape(), in.shape())), 0);
            }
            return Lax.reshape(Lax.concatenate(1, columns), concat(out.shape(), in.shape()));
        };
    }

    /**
     * The Jacobian by reverse mode: one pullback per output element. The result has shape
     * {@code out.shape + in.shape}.
     */
    public static Function<Array, Array> jacrev(Function<Array, Array> f) {
        return x -> {
            checkFloatingInput("jacrev", x);
            Autodiff.Linearized lin = Autodiff.linearize("jacrev", flat(f), new Array[] {x});
            Aval in = x.aval();
            Aval out = lin.outAvals()[0];
            checkFloatingOutput("jacrev", out);
            int m = out.size();
            int[] shape = concat(out.shape(), in.shape());
            if (m == 0 || in.size() == 0) {
                return Lax.full(new Aval(in.dtype(), shape), 0);
            }
            Array[] rows = new Array[m];
            for (int j = 0; j < m; j++) {
                rows[j] = Lax.reshape(lin.vjp(new Array[] {basis(out, j)})[0], 1, in.size());
            }
            return Lax.reshape(Lax.concatenate(0, rows), shape);
        };
    }

    /** The Hessian, {@code jacfwd(jacrev(f))}: shape {@code out.shape + in.shape + in.shape}. */
    public static Function<Array, Array> hessian(Function<Array, Array> f) {
        return jacfwd(jacrev(f));
    }

    /**
     * A function with a custom JVP rule (JAX's {@code custom_jvp}): {@code f} computes the value, and under
     * differentiation {@code rule(x, t)} gives the value and the tangent instead. The rule is itself
     * differentiated by enclosing transformations, so it works in every mode and to any order.
     */
    public static Function<Array, Array> customJvp(Function<Array, Array> f, BiFunction<Array, Array, JvpResult<Array>> rule) {
        CustomJvpCall call = new CustomJvpCall(flat(f), (p, t) -> {
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
        CustomVjpCall call = new CustomVjpCall(flat(f), p -> {
            CustomVjpFwd r = fwd.apply(p[0]);
            return new Array[][] {{r.output()}, r.residuals().toArray(Array[]::new)};
        }, (res, ct) -> new Array[] {bwd.apply(List.of(res), ct[0])});
        return x -> Interpreters.bind1(call, x);
    }

    private static void checkFloatingInput(String op, Array x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": cannot differentiate with respect to " + x.aval().str()
                    + "; only float32 and float64 inputs have derivatives");
        }
    }

    private static void checkFloatingOutput(String op, Aval out) {
        if (!out.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the output " + out.str() + " is not floating point, so it has no Jacobian");
        }
    }

    private static Array basis(Aval aval, int k) {
        DenseArray e = DenseArray.full(aval, 0);
        Object d = e.data();
        switch (aval.dtype()) {
            case FLOAT32 -> ((float[]) d)[k] = 1;
            case FLOAT64 -> ((double[]) d)[k] = 1;
            default -> throw new IllegalArgumentException("no basis vectors for " + aval.str());
        }
        return e;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = new int[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
