package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.Lax;
import dev.solstice.Nn;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Ops;
import dev.solstice.prim.Sin;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Typed symbolic zeros ({@link Zero}) and linear-input markers ({@link UndefinedPrimal}): structurally zero
 * derivatives reach the user as real zeros of the right shape and dtype, a placeholder that leaks into a
 * computation fails loudly, and rules no longer build dense zeros only to pass them on (seen in the staged
 * linear programs). Expected values are closed forms.
 */
class SymbolicZeroTest {

    private static final Aval F32_3 = new Aval(DType.FLOAT32, 3);

    /** A real (dense) array of zeros of {@code dtype} and {@code shape}: never a placeholder. */
    private static void assertDenseZeros(DType dtype, int[] shape, Array a, String what) {
        DenseArray d = assertInstanceOf(DenseArray.class, a, what + " must be a concrete array, not a placeholder");
        assertEquals(dtype, d.dtype(), what + " dtype");
        assertArrayEquals(shape, d.shape(), what + " shape");
        for (double v : d.toDoubleArray()) {
            assertEquals(0.0, v, 0.0, what + " must be exactly zero");
        }
    }

    // ---- (a) structural zeros reach the user as real zeros ------------------------------------------------

    @Test
    void gradOfAFunctionThatIgnoresItsInputIsDenseZeros() {
        Array c = Array.of(1f, 2f);
        Array x = Array.of(0.5f, -1f, 2f);
        assertDenseZeros(DType.FLOAT32, new int[] {3}, Jax.grad((Array v) -> Jnp.sum(c)).apply(x), "grad");
        assertDenseZeros(DType.FLOAT32, new int[] {3, 3}, Jax.hessian((Array v) -> Jnp.sum(c)).apply(x), "hessian");
        assertDenseZeros(DType.FLOAT32, new int[] {2, 3}, Jax.jacrev((Array v) -> c).apply(x), "jacrev");
        assertDenseZeros(DType.FLOAT32, new int[] {2, 3}, Jax.jacfwd((Array v) -> c).apply(x), "jacfwd");
        Array batch = Array.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertDenseZeros(DType.FLOAT32, new int[] {2, 3},
                Jax.vmap(Jax.grad((Array v) -> Jnp.sum(c))).apply(batch), "vmap(grad)");
    }

    @Test
    void jvpThroughComparisonsAndSelectIsDenseZeros() {
        Array x = Array.of(-1f, 0.5f, 2f);
        Array t = Array.of(1f, 1f, 1f);
        JvpResult<Array> sel = Jax.jvp((Array v) -> Jnp.where(Jnp.greater(v, 0.0), Jnp.onesLike(v), 2.0), x, t);
        assertArrayEquals(new float[] {2, 1, 1}, sel.primal().toFloatArray());
        assertDenseZeros(DType.FLOAT32, new int[] {3}, sel.tangent(), "jvp of a select of constants");
        JvpResult<Array> cmp = Jax.jvp((Array v) -> Jnp.greater(v, 0.0), x, t);
        assertDenseZeros(DType.BOOL, new int[] {3}, cmp.tangent(), "jvp of a comparison");
        assertDenseZeros(DType.FLOAT32, new int[] {3},
                Jax.vjp((Array v) -> Jnp.where(Jnp.greater(v, 0.0), Jnp.onesLike(v), 2.0), x).pullback().apply(t), "vjp");
    }

    @Test
    void hessianOfReluIsExactlyZeroAndDense() {
        for (double at : new double[] {-2, 1, 3}) {
            Array h = Jax.hessian((Array v) -> Nn.relu(v)).apply(Array.scalar(at));
            assertDenseZeros(DType.FLOAT64, new int[0], h, "hessian(relu) at " + at);
        }
        Array x = Array.of(-1f, 0.5f, 2f);
        assertDenseZeros(DType.FLOAT32, new int[] {3, 3}, Jax.hessian((Array v) -> Jnp.sum(Nn.relu(v))).apply(x),
                "hessian(sum relu)");
        UnaryOperator<Array> jacrevRelu = Jax.jacrev((Array v) -> Nn.relu(v));
        assertDenseZeros(DType.FLOAT32, new int[] {3, 3, 3}, Jax.jacfwd(jacrevRelu).apply(x), "jacfwd(jacrev(relu))");
    }

    @Test
    void linearizeGivesDenseZerosForAnIndependentOutput() {
        Array c = Array.of(4.0, 5.0);
        Autodiff.Linearized lin = Autodiff.linearize("test", a -> new Array[] {Jnp.multiply(a[0], 2.0), c},
                new Array[] {Array.of(1.0, 2.0)});
        Array[] jvp = lin.jvp(new Array[] {Array.of(1.0, 1.0)});
        assertArrayEquals(new double[] {2, 2}, jvp[0].toDoubleArray());
        assertDenseZeros(DType.FLOAT64, new int[] {2}, jvp[1], "linearize tangent of a constant output");
        assertDenseZeros(DType.FLOAT64, new int[] {2},
                lin.vjp(new Array[] {Array.of(0.0, 0.0), Array.of(1.0, 1.0)})[0], "vjp through the constant output only");
        // the program keeps the independent output symbolic; only the boundary makes the dense zeros
        Const out = assertInstanceOf(Const.class, lin.program().outputs().get(1));
        assertInstanceOf(Zero.class, out.value());
    }

    @Test
    void customRulesSeeRealZerosForUnperturbedInputsAndUnusedOutputs() {
        Array c = Array.of(3.0);
        List<Array> seen = new ArrayList<>();
        Function<List<Array>, Array> f = Eqx.filterCustomJvp(
                (List<Array> xs) -> Jnp.multiply(xs.get(0), xs.get(1)),
                (List<Array> xs, List<Array> ts) -> {
                    seen.addAll(ts);
                    return new JvpResult<>(Jnp.multiply(xs.get(0), xs.get(1)),
                            Jnp.add(Jnp.multiply(ts.get(0), xs.get(1)), Jnp.multiply(xs.get(0), ts.get(1))));
                });
        JvpResult<Array> r = Jax.jvp((Array v) -> f.apply(List.of(v, c)), Array.of(2.0), Array.of(1.0));
        assertEquals(3.0, r.tangent().item(), 0.0);
        assertDenseZeros(DType.FLOAT64, new int[] {1}, seen.get(1), "customJvp rule's tangent of a constant input");

        List<Array> cts = new ArrayList<>();
        Function<Array, List<Array>> g = Eqx.filterCustomVjp(
                (Array v) -> List.of(Jnp.sin(v), Jnp.cos(v)),
                (Array v) -> new Eqx.CustomVjpFwdTree<>(List.of(Jnp.sin(v), Jnp.cos(v)), v),
                (Object res, List<Array> ct) -> {
                    cts.addAll(ct);
                    Array v = (Array) res;
                    return Jnp.subtract(Jnp.multiply(ct.get(0), Jnp.cos(v)), Jnp.multiply(ct.get(1), Jnp.sin(v)));
                });
        Array grad = Jax.grad((Array v) -> Jnp.sum(g.apply(v).get(0))).apply(Array.of(0.5));
        assertEquals(Math.cos(0.5), grad.item(), 1e-15);
        assertDenseZeros(DType.FLOAT64, new int[] {1}, cts.get(1), "customVjp bwd's cotangent of an unused output");
    }

    @Test
    void aSymbolicZeroInputTangentMakesThatInputAConstant() {
        Array x = Array.of(2.0);
        Array y = Array.of(3.0);
        Array[][] r = Autodiff.jvp("test", a -> new Array[] {Jnp.multiply(Jnp.sin(a[0]), a[1])},
                new Array[] {x, y}, new Array[] {Array.of(1.0), Zero.of(y.aval())});
        assertEquals(3 * Math.cos(2.0), r[1][0].item(), 1e-15);
        Array[][] none = Autodiff.jvp("test", a -> new Array[] {Jnp.sin(a[0])}, new Array[] {x},
                new Array[] {Zero.of(x.aval())});
        assertDenseZeros(DType.FLOAT64, new int[] {1}, none[1][0], "jvp along a symbolic zero");
    }

    // ---- (b) a placeholder that reaches a computation is a bug, reported clearly -------------------------

    @Test
    void bindingOnASymbolicZeroThrowsNamingThePrimitive() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Interpreters.bind(new Sin(), Zero.of(F32_3)));
        assertTrue(e.getMessage().startsWith("sin: operand 0 is a symbolic zero (float32[3])"), e.getMessage());
        assertTrue(e.getMessage().contains("Zero.instantiate"), e.getMessage());
        IllegalStateException viaFacade = assertThrows(IllegalStateException.class,
                () -> Jnp.add(Array.of(1f, 2f, 3f), Zero.of(F32_3)));
        assertTrue(viaFacade.getMessage().startsWith("add: operand 1 is a symbolic zero"), viaFacade.getMessage());
        assertThrows(IllegalStateException.class, () -> Zero.of(F32_3).item());
        assertThrows(IllegalStateException.class, () -> Zero.of(F32_3).toDoubleArray());
        assertDenseZeros(DType.FLOAT32, new int[] {3}, Zero.instantiate(Zero.of(F32_3)), "instantiate");
    }

    @Test
    void bindingOnAnUndefinedPrimalThrowsNamingThePrimitive() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Ops.mul(Array.of(1f, 2f, 3f), UndefinedPrimal.of(F32_3)));
        assertTrue(e.getMessage().startsWith("mul: operand 1 is an undefined primal"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> UndefinedPrimal.of(F32_3).concrete());
    }

    /** Projects out its first operand; its JVP rule wrongly adds both tangents without checking for zeros. */
    private record LeakyJvp() implements Primitive {
        @Override
        public Aval[] shapeRule(Aval[] in) {
            return new Aval[] {in[0]};
        }

        @Override
        public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
            return new DenseArray[] {in[0]};
        }

        @Override
        public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
            return new Array[] {Ops.add(tangents[0], tangents[1])};
        }
    }

    /** The identity: the shape rule and evaluation of the test primitives below. */
    private interface Identity extends Primitive {
        @Override
        default Aval[] shapeRule(Aval[] in) {
            return in.clone();
        }

        @Override
        default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
            return in.clone();
        }
    }

    /** The identity, linear; its transpose rule wrongly computes with its linear input. */
    private record LeakyTranspose() implements Identity {
        @Override
        public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
            return Interpreters.bind(this, tangents);
        }

        @Override
        public Array[] transpose(Array[] cts, Array[] args) {
            return new Array[] {Ops.neg(Ops.neg(args[0]))};
        }
    }

    /** The identity; its JVP rule returns null instead of a symbolic zero. */
    private record NullJvp() implements Identity {
        @Override
        public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
            return new Array[1];
        }
    }

    @Test
    void aRuleThatLeaksAPlaceholderFailsLoudly() {
        Array c = Array.of(1.0, 2.0);
        IllegalStateException jvp = assertThrows(IllegalStateException.class,
                () -> Jax.jvp((Array v) -> Interpreters.bind1(new LeakyJvp(), v, c), Array.of(3.0, 4.0), Array.of(1.0, 1.0)));
        assertTrue(jvp.getMessage().startsWith("add: operand 1 is a symbolic zero (float64[2])"), jvp.getMessage());
        IllegalStateException tr = assertThrows(IllegalStateException.class,
                () -> Jax.grad((Array v) -> Jnp.sum(Interpreters.bind1(new LeakyTranspose(), v))).apply(Array.of(3.0, 4.0)));
        assertTrue(tr.getMessage().startsWith("neg: operand 0 is an undefined primal"), tr.getMessage());
        IllegalStateException nul = assertThrows(IllegalStateException.class,
                () -> Jax.jvp((Array v) -> Interpreters.bind1(new NullJvp(), v), Array.of(3.0), Array.of(1.0)));
        assertTrue(nul.getMessage().contains("Zero.of(aval)"), nul.getMessage());
    }

    // ---- (c) no dense zeros built only to be passed on ---------------------------------------------------

    private static List<String> names(Program p) {
        return p.eqns().stream().map(e -> e.primitive().name()).toList();
    }

    @Test
    void scatterAddOfAConstantUpdateStagesNothing() {
        Array idx = Array.of(new int[] {0, 2, 0}, 1, 3);
        Array updates = Array.of(new double[] {1, 2, 3}, 1, 3);
        Autodiff.Linearized lin = Autodiff.linearize("test", a -> new Array[] {Lax.scatterAdd(a[0], idx, updates, 1)},
                new Array[] {Array.of(new double[] {0, 0, 0}, 1, 3)});
        Program p = lin.program();
        assertEquals(List.of(), names(p), "the tangent passes through; no scatter into zeros:\n" + p);
        assertTrue(p.outputs().getFirst() instanceof Var v && v == p.inputs().getFirst(), p.toString());
        Array t = Array.of(new double[] {1, 2, 3}, 1, 3);
        assertArrayEquals(new double[] {1, 2, 3}, lin.jvp(new Array[] {t})[0].toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3}, lin.vjp(new Array[] {t})[0].toDoubleArray());
    }

    /** Every primitive the body binds, by name, evaluated as usual. */
    private static List<String> bound(Runnable body) {
        Interpreter parent = Interpreters.current();
        List<String> names = new ArrayList<>();
        Interpreter recorder = (p, args) -> {
            names.add(p.name());
            return Interpreters.runWith(parent, () -> Interpreters.bind(p, args));
        };
        Interpreters.runWith(recorder, () -> {
            body.run();
            return null;
        });
        return names;
    }

    @Test
    void anEmptySliceSendsNoZerosBackward() {
        Autodiff.Linearized lin = Autodiff.linearize("test",
                a -> new Array[] {Jnp.add(Jnp.sum(Lax.slice(a[0], new int[] {1}, new int[] {1}, new int[] {1})), Jnp.sum(a[0]))},
                new Array[] {Array.of(1.0, 2.0, 3.0)});
        Array[] grad = new Array[1];
        List<String> backward = bound(() -> grad[0] = lin.vjp(new Array[] {Array.scalar(1.0)})[0]);
        assertArrayEquals(new double[] {1, 1, 1}, grad[0].toDoubleArray());
        // the empty slice's cotangent is a symbolic zero, so nothing is added to the other one
        assertEquals(List.of("broadcast_in_dim", "broadcast_in_dim"), backward, lin.program().toString());
    }

    @Test
    void aCustomVjpCarriesNoTangentForAnUnperturbedInput() {
        Array c = Array.of(3.0);
        Function<List<Array>, Array> f = Eqx.filterCustomVjp(
                (List<Array> xs) -> Jnp.multiply(xs.get(0), xs.get(1)),
                (List<Array> xs) -> new Eqx.CustomVjpFwdTree<>(Jnp.multiply(xs.get(0), xs.get(1)), xs),
                (Object res, Array ct) -> {
                    @SuppressWarnings("unchecked")
                    List<Array> xs = (List<Array>) res;
                    return List.of(Jnp.multiply(ct, xs.get(1)), Jnp.multiply(ct, xs.get(0)));
                });
        Autodiff.Linearized lin = Autodiff.linearize("test", a -> new Array[] {f.apply(List.of(a[0], c))},
                new Array[] {Array.of(2.0)});
        Eqn custom = lin.program().eqns().stream().filter(e -> e.primitive().name().equals("custom_vjp_linear"))
                .findFirst().orElseThrow();
        // the residuals (2 and 3) and the perturbed input's tangent; no zeros for the constant input
        assertEquals(3, custom.inputs().length, lin.program().toString());
        assertInstanceOf(Var.class, custom.inputs()[2], lin.program().toString());
        assertEquals(3.0, lin.vjp(new Array[] {Array.of(1.0)})[0].item(), 0.0);
    }
}
