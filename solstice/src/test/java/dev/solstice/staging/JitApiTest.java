package dev.solstice.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.nn.MLP;
import dev.solstice.core.Aval;
import dev.solstice.core.ConcretizationTypeError;
import dev.solstice.ir.ClosedProgram;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** makeJaxpr's layout, evalShape, nested and staged derivatives seen in the program, concreteness errors. */
class JitApiTest {
    private static final Array X3 = Array.of(0.5f, -1.0f, 2.0f);

    @Test
    void makeJaxprPrintsJaxsLayout() {
        ClosedProgram p = Jax.makeJaxpr((Array a) -> Jnp.sum(Jnp.sin(a))).apply(X3);
        assertEquals("""
                { lambda ; a:f32[3]. let
                    b:f32[3] = sin a
                    c:f32[] = reduce_sum[axes=(0,)] b
                  in (c,) }""", p.toString());
    }

    @Test
    void parametersAreNamedAsJaxNamesThem() {
        ClosedProgram p = Jax.makeJaxpr((Array a) -> Jnp.sum(a).add(a)).apply(X3);
        assertEquals("""
                { lambda ; a:f32[3]. let
                    b:f32[] = reduce_sum[axes=(0,)] a
                    c:f32[3] = broadcast_in_dim[shape=(3,) broadcast_dimensions=()] b
                    d:f32[3] = add c a
                  in (d,) }""", p.toString());
    }

    @Test
    void aCapturedArrayIsAConstvarBeforeTheSemicolon() {
        Array c = Array.of(1f, 2f, 3f);
        ClosedProgram p = Jax.makeJaxpr((Array a) -> List.of(Jnp.sin(a).mul(c), a)).apply(X3);
        assertEquals("""
                { lambda a:f32[3]; b:f32[3]. let
                    c:f32[3] = sin b
                    d:f32[3] = mul c a
                  in (d, b) }""", p.toString());
        assertEquals(List.of(c), p.consts());
    }

    @Test
    void avalsStandForArraysAndNothingIsComputed() {
        Aval m = new Aval(DType.FLOAT64, 2, 3);
        Aval n = new Aval(DType.FLOAT64, 3, 4);
        List<Aval> shapes = Jax.<List<Array>, List<Aval>>evalShape(
                (List<Array> xs) -> List.of(Jnp.matmul(xs.get(0), xs.get(1)), Jnp.sum(xs.get(0)))).apply(List.of(m, n));
        assertEquals(List.of(new Aval(DType.FLOAT64, 2, 4), new Aval(DType.FLOAT64)), shapes);
        assertEquals(new Aval(DType.FLOAT32, 3), Jax.evalShape((Array a) -> Jnp.tanh(a)).apply(X3));
        assertTrue(Jax.makeJaxpr((Array a) -> a.mul(2.0)).apply(new Aval(DType.FLOAT32, 5)).toString()
                .startsWith("{ lambda a:f32[]; b:f32[5]. let"));
    }

    @Test
    void aNestedJitIsOneEquationOfTheOuterProgram() {
        Jitted<Array, Array> inner = Jax.jit(Jnp::cos, dev.solstice.JitOptions.named("inner"));
        ClosedProgram p = Jax.makeJaxpr(Jax.jit((Array a) -> inner.apply(a).add(a))).apply(X3);
        assertEquals("""
                { lambda ; a:f32[3]. let
                    b:f32[3] = jit_call[
                      function=fn
                      program={ lambda ; c:f32[3]. let
                          d:f32[3] = jit_call[
                            function=inner
                            program={ lambda ; e:f32[3]. let
                                f:f32[3] = cos e
                              in (f,) }
                          ] c
                          g:f32[3] = add d c
                        in (g,) }
                    ] a
                  in (b,) }""", p.toString());
    }

    @Test
    void theGradientOfAJittedFunctionStagesBothHalves() {
        UnaryOperator<Array> f = a -> Jnp.sum(Jnp.sin(a));
        String program = Jax.makeJaxpr(Jax.grad(Jax.jit(f))).apply(X3).toString();
        assertTrue(program.contains("function=fn_jvp_known"), program); // primal outputs and residuals
        assertTrue(program.contains("function=fn_jvp_unknown_transpose"), program); // the backward pass
        assertEquals(2, program.split("jit_call\\[").length - 1, program);
    }

    @Test
    void readingATracedValueInsideJitNamesTheCall() {
        Jitted<Array, Array> branchOnItem = Jax.jit(x -> x.sum().item() > 0 ? x : x.neg());
        ConcretizationTypeError e = assertThrows(ConcretizationTypeError.class, () -> branchOnItem.apply(X3));
        assertTrue(e.getMessage().startsWith("item() needs a concrete value"), e.getMessage());
        assertTrue(e.getMessage().contains("Lax.cond") && e.getMessage().contains("JitOptions.staticArgs"), e.getMessage());
        assertEquals(0, branchOnItem.cacheSize());

        Jitted<Array, Array> copyOut = Jax.jit(x -> Array.of(x.toDoubleArray()));
        ConcretizationTypeError e2 = assertThrows(ConcretizationTypeError.class, () -> copyOut.apply(X3));
        assertTrue(e2.getMessage().startsWith("toDoubleArray() needs a concrete value"), e2.getMessage());

        Jitted<Array, Array> javaIf = Jax.jit(x -> {
            if (Jnp.greater(x, 0.0).toBooleanArray()[0]) {
                return x;
            }
            return x.neg();
        });
        ConcretizationTypeError e3 = assertThrows(ConcretizationTypeError.class, () -> javaIf.apply(X3));
        assertTrue(e3.getMessage().startsWith("toBooleanArray() needs a concrete value"), e3.getMessage());
    }

    /** An nn module (its activation functions are static leaves) jitted with filterJit, forward and gradient. */
    @Test
    void anMlpUnderFilterJitEqualsEager() {
        MLP mlp = new MLP(3, 2, 4, 1, Jnp::tanh, Nn::sigmoid, true, true, DType.FLOAT64, Prng.key(3));
        Array x = Array.of(0.3, -0.7, 1.1);
        Jitted<MLP, Array> forward = Eqx.filterJit(m -> m.apply(x));
        assertArrayEquals(mlp.apply(x).toDoubleArray(), forward.apply(mlp).toDoubleArray(), 0.0);
        Function<MLP, MLP> grad = Eqx.filterGrad((MLP m) -> Jnp.sum(m.apply(x)));
        MLP eager = grad.apply(mlp);
        MLP staged = Eqx.filterGrad((MLP m) -> Jnp.sum(forward.apply(m))).apply(mlp);
        assertTrue(Eqx.treeEqual(eager, staged), "filterGrad(filterJit(mlp)) vs eager");
        forward.apply(mlp);
        assertEquals(1, forward.traceCount());
    }

    /** A model's training step jitted whole: the filtered gradient inside, the update outside, as eager. */
    @Test
    void aFilteredGradientStepJittedEqualsEager() {
        record Model(Array w, Array b, String activation) {}
        Function<Model, Array> loss = m -> {
            Array y = Jnp.matmul(Array.of(new double[] {1, 2, -1, 0.5, 0.25, 3}, 2, 3), m.w()).add(m.b());
            return Jnp.sum((m.activation().equals("tanh") ? Jnp.tanh(y) : y).mul(y));
        };
        Model m = new Model(Array.of(0.1, -0.2, 0.3), Array.scalar(0.05), "tanh");
        Function<Model, Model> grad = Eqx.filterGrad(loss);
        Jitted<Model, Model> jitted = Eqx.filterJit(grad);
        Model eager = grad.apply(m);
        Model staged = jitted.apply(m);
        assertArrayEquals(eager.w().toDoubleArray(), staged.w().toDoubleArray(), 0.0);
        assertArrayEquals(eager.b().toDoubleArray(), staged.b().toDoubleArray(), 0.0);
        assertEquals("tanh", staged.activation());
    }
}
