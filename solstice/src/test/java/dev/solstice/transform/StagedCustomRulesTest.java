package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.CustomVjpFwd;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Eqn;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Custom rules are staged (their function traced to a program, captured values passed as operands), so the
 * rule is kept in every nesting order of grad, vmap, jacfwd, jacrev and hessian, also when the function and the
 * rule close over a value an enclosing vmap batches. Oracles: the analytic derivative of the rule (rules here
 * deliberately differ from the function's true derivative, so a dropped rule shows), float64 finite
 * differences where the rule is the true derivative, and a straight-through estimator (round, whose true
 * derivative is 0, with the rule's derivative 1).
 */
class StagedCustomRulesTest {
    private static final Array X = Array.of(0.2, 1.7, 2.4, -0.6);
    private static final Array C = Array.of(0.5, -2.0, 3.0, 1.5);
    private static final Function<Array, Array> STE = Jax.customJvp(Jnp::round, (x, t) -> new JvpResult<>(Jnp.round(x), t));

    /** round(y + c) passed straight through: derivative 1 with respect to y. */
    private static Function<Array, Array> shiftedSte(Array c) {
        return Jax.customJvp(y -> Jnp.round(y.add(c)), (y, t) -> new JvpResult<>(Jnp.round(y.add(c)), t));
    }

    /** round(y c) with the rule's derivative c: the rule closes over c too. */
    private static Function<Array, Array> scaledSte(Array c) {
        return Jax.customJvp(y -> Jnp.round(y.mul(c)), (y, t) -> new JvpResult<>(Jnp.round(y.mul(c)), t.mul(c)));
    }

    /** sin with the rule's derivative 2 cos (not the true one), second derivative through the rule -2 sin. */
    private static final Function<Array, Array> DOUBLED = Jax.customJvp(Jnp::sin,
            (x, t) -> new JvpResult<>(Jnp.sin(x), t.mul(Jnp.cos(x)).mul(2.0)));

    /** sin with bwd 3 cos (not the true gradient), second derivative through bwd -3 sin. */
    private static final Function<Array, Array> TRIPLED = Jax.customVjp(Jnp::sin,
            x -> new CustomVjpFwd(Jnp.sin(x), List.of(Jnp.cos(x))), (r, g) -> g.mul(r.get(0)).mul(3.0));

    /** y c by customVjp, with bwd 2 c g (twice the true gradient), closing over c. */
    private static Function<Array, Array> doubledScale(Array c) {
        return Jax.customVjp(y -> y.mul(c), y -> new CustomVjpFwd(y.mul(c), List.of()), (r, g) -> g.mul(c).mul(2.0));
    }

    /** {@code f} on one example of (x, c) vectorised over both. */
    private static Function<Array, Array> pairwise(Function<Array, Function<Array, Array>> f, Array c) {
        Function<List<Array>, Array> one = p -> f.apply(p.get(1)).apply(p.get(0));
        Function<List<Array>, Array> batched = Jax.vmap(one, 0, 0);
        return x -> batched.apply(List.of(x, c));
    }

    private static UnaryOperator<Array> summed(Function<Array, Array> f) {
        return x -> Jnp.sum(f.apply(x));
    }

    private static double[] each(Array x, java.util.function.DoubleUnaryOperator f) {
        double[] v = x.toDoubleArray();
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = f.applyAsDouble(v[i]);
        }
        return r;
    }

    private static double[] diag(double[] d) {
        double[] m = new double[d.length * d.length];
        for (int i = 0; i < d.length; i++) {
            m[i * d.length + i] = d[i];
        }
        return m;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void close(double[] want, Array got, String what) {
        Numeric.assertClose(want, got.toDoubleArray(), 1e-14, 1e-15, what);
    }

    /**
     * Every order of grad / vmap / jacfwd / jacrev, over {@link #X} paired with {@link #C}, of {@code family}
     * (the function of one example given that example's c) whose derivative by its rule is {@code d}.
     */
    private static void everyOrder(Function<Array, Function<Array, Array>> family, double[] d, String what) {
        Function<Array, Array> vmapped = pairwise(family, C);
        close(d, Jax.grad(summed(vmapped)).apply(X), what + ": grad(vmap)");
        close(diag(d), Jax.jacfwd((Array x) -> vmapped.apply(x)).apply(X), what + ": jacfwd(vmap)");
        close(diag(d), Jax.jacrev((Array x) -> vmapped.apply(x)).apply(X), what + ": jacrev(vmap)");
        Function<List<Array>, Array> gradOne = p -> Jax.grad((Array y) -> family.apply(p.get(1)).apply(y)).apply(p.get(0));
        close(d, Jax.vmap(gradOne, 0, 0).apply(List.of(X, C)), what + ": vmap(grad)");
        Function<List<Array>, Array> jacOne = p -> Jax.jacfwd((Array y) -> family.apply(p.get(1)).apply(y)).apply(p.get(0));
        close(d, Jax.vmap(jacOne, 0, 0).apply(List.of(X, C)), what + ": vmap(jacfwd)");
    }

    @Test
    void aStraightThroughEstimatorKeepsItsRuleInEveryOrder() {
        double[] ones = {1, 1, 1, 1};
        everyOrder(c -> STE, ones, "ste");
        close(diag(ones), Jax.jacfwd((Array x) -> STE.apply(x)).apply(X), "jacfwd");
        close(diag(ones), Jax.jacrev((Array x) -> STE.apply(x)).apply(X), "jacrev");
        Array m = Array.of(new double[] {0.2, 1.7, 2.4, -0.6, 3.3, -1.2}, 2, 3);
        close(new double[] {1, 1, 1, 1, 1, 1}, Jax.grad(summed(Jax.vmap(Jax.vmap(STE)))).apply(m), "grad(vmap(vmap))");
    }

    @Test
    void aStraightThroughEstimatorClosingOverABatchedValueKeepsItsRule() {
        // the captured c is a batched operand of the call: the call is rebuilt with the rule, not inlined
        double[] ones = {1, 1, 1, 1};
        everyOrder(StagedCustomRulesTest::shiftedSte, ones, "shifted by a batched value");
        Array eager = pairwise(StagedCustomRulesTest::shiftedSte, C).apply(X);
        close(Jnp.round(X.add(C)).toDoubleArray(), eager, "the value under vmap");
        // and over a concrete array captured outside every transformation
        Function<Array, Array> concrete = shiftedSte(C);
        close(ones, Jax.grad(summed(concrete)).apply(X), "grad, concrete capture");
        close(diag(ones), Jax.jacfwd((Array x) -> concrete.apply(x)).apply(X), "jacfwd, concrete capture");
        close(diag(ones), Jax.jacrev((Array x) -> concrete.apply(x)).apply(X), "jacrev, concrete capture");
        Array rows = Jnp.stack(List.of(X, X.mul(2.0)), 0);
        close(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, Jax.grad(summed(Jax.vmap(concrete))).apply(rows),
                "grad(vmap), concrete capture of a whole row");
    }

    @Test
    void aRuleClosingOverABatchedValueIsVectorisedWithIt() {
        double[] c = C.toDoubleArray();
        for (int i = 0; i < X.size(); i++) {
            Array ci = Array.scalar(c[i]);
            double d = Jax.grad((Array y) -> scaledSte(ci).apply(y)).apply(Array.scalar(0.7)).item();
            assertEquals(c[i], d, 0.0, "unbatched");
        }
        everyOrder(StagedCustomRulesTest::scaledSte, c, "scaled by a batched value");
        // an unbatched explicit argument, a batched capture: d/dy sum_i round(y c_i) by the rule = sum c_i
        double sumC = c[0] + c[1] + c[2] + c[3];
        Function<Array, Array> overC = y -> Jnp.sum(Jax.vmap((Array ci) -> scaledSte(ci).apply(y)).apply(C));
        assertEquals(sumC, Jax.grad((Array y) -> overC.apply(y)).apply(Array.scalar(0.7)).item(), 1e-15, "grad over a shared argument");
        assertEquals(sumC, Jax.jacfwd((Array y) -> overC.apply(y)).apply(Array.scalar(0.7)).item(), 1e-15, "jacfwd over a shared argument");
        // a rule that runs its own vmap over the closed-over batched value: tangent 2 t sum_k (k c) = 6 t c for ks = 1, 2
        Array ks = Array.of(1.0, 2.0);
        Function<Array, Function<Array, Array>> inner = ci -> Jax.customJvp(y -> y.mul(ci).mul(3.0),
                (y, t) -> new JvpResult<>(y.mul(ci).mul(3.0),
                        t.mul(Jnp.sum(Jax.vmap((Array k) -> k.mul(ci)).apply(ks))).mul(2.0)));
        double[] six = each(C, v -> 6 * v);
        everyOrder(inner, six, "a rule with its own vmap");
    }

    @Test
    void aCustomJvpRuleIsUsedAndDifferentiatedInEveryOrder() {
        double[] d = each(X, v -> 2 * Math.cos(v));
        double[] dd = each(X, v -> -2 * Math.sin(v));
        everyOrder(c -> DOUBLED, d, "doubled");
        close(diag(dd), Jax.hessian(summed(Jax.vmap(DOUBLED))).apply(X), "hessian(vmap)");
        close(dd, Jax.vmap((Array x) -> Jax.hessian((Array y) -> DOUBLED.apply(y)).apply(x)).apply(X), "vmap(hessian)");
        close(dd, Jax.vmap((Array x) -> Jax.grad((Array y) -> Jax.grad((Array z) -> DOUBLED.apply(z)).apply(y)).apply(x))
                .apply(X), "vmap(grad(grad))");
        close(dd, Jax.grad(summed(Jax.vmap((Array y) -> Jax.grad((Array z) -> DOUBLED.apply(z)).apply(y)))).apply(X),
                "grad(vmap(grad))");
        close(d, Jax.jvp(Jax.vmap(DOUBLED), X, Jnp.onesLike(X)).tangent(), "jvp(vmap)");
    }

    /** Where the rule is the true derivative: float64 central differences of the function without a rule. */
    @Test
    void aTrueRuleOverCapturedConcreteAndBatchedValuesMatchesFiniteDifferences() {
        Array w = Array.of(0.5, -1.5, 2.0);
        Function<Array, Function<Array, Array>> plain = c -> y -> Jnp.tanh(y.mul(c)).mul(w);
        Function<Array, Function<Array, Array>> custom = c -> Jax.customJvp(plain.apply(c), (y, t) -> {
            Array th = Jnp.tanh(y.mul(c));
            return new JvpResult<>(th.mul(w), t.mul(c).mul(Jnp.onesLike(th).sub(th.mul(th))).mul(w));
        });
        UnaryOperator<Array> loss = x -> Jnp.sum(pairwise(custom, C).apply(x));
        UnaryOperator<Array> reference = x -> Jnp.sum(pairwise(plain, C).apply(x));
        double[] fd = new double[X.size()];
        for (int i = 0; i < fd.length; i++) {
            double[] e = new double[X.size()];
            e[i] = 1;
            fd[i] = Numeric.centralDifference(reference, X, Array.of(e), 1e-4)[0];
        }
        Numeric.assertClose(fd, Jax.grad(loss).apply(X).toDoubleArray(), 1e-9, 1e-10, "grad(vmap) vs differences");
        Numeric.assertClose(fd, Jax.jacfwd(loss).apply(X).toDoubleArray(), 1e-9, 1e-10, "jacfwd(vmap) vs differences");
        Array perExample = Jax.vmap((List<Array> p) -> Jax.grad((Array y) -> Jnp.sum(custom.apply(p.get(1)).apply(y)))
                .apply(p.get(0)), 0, 0).apply(List.of(X, C));
        Numeric.assertClose(fd, perExample.toDoubleArray(), 1e-9, 1e-10, "vmap(grad) vs differences");
    }

    @Test
    void aCustomVjpRuleIsUsedInEveryReverseOrderAndForwardModeIsRefused() {
        double[] d = each(X, v -> 3 * Math.cos(v));
        close(d, Jax.grad(summed(Jax.vmap(TRIPLED))).apply(X), "grad(vmap)");
        close(d, Jax.vmap((Array x) -> Jax.grad((Array y) -> TRIPLED.apply(y)).apply(x)).apply(X), "vmap(grad)");
        close(diag(d), Jax.jacrev((Array x) -> Jax.vmap(TRIPLED).apply(x)).apply(X), "jacrev(vmap)");
        // forward over reverse differentiates bwd: -3 sin
        double[] dd = each(X, v -> -3 * Math.sin(v));
        close(diag(dd), Jax.hessian(summed(Jax.vmap(TRIPLED))).apply(X), "hessian(vmap)");
        close(dd, Jax.vmap((Array x) -> Jax.hessian((Array y) -> TRIPLED.apply(y)).apply(x)).apply(X), "vmap(hessian)");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Jax.jacfwd((Array x) -> Jax.vmap(TRIPLED).apply(x)).apply(X));
        assertTrue(e.getMessage().startsWith("customVjp: forward-mode differentiation"), e.getMessage());
        // bwd closing over a batched value: 2 c
        double[] twoC = each(C, v -> 2 * v);
        Function<Array, Array> batched = pairwise(StagedCustomRulesTest::doubledScale, C);
        close(twoC, Jax.grad(summed(batched)).apply(X), "grad(vmap), batched capture");
        close(diag(twoC), Jax.jacrev((Array x) -> batched.apply(x)).apply(X), "jacrev(vmap), batched capture");
        close(twoC, Jax.vmap((List<Array> p) -> Jax.grad((Array y) -> doubledScale(p.get(1)).apply(y)).apply(p.get(0)), 0, 0)
                .apply(List.of(X, C)), "vmap(grad), batched capture");
        close(X.mul(C).toDoubleArray(), batched.apply(X), "the value");
    }

    /** A tree input with an integer leaf: not differentiated, so a captured operand (batched under vmap). */
    record Scaled(Array x, Array k) {}

    @Test
    void eqxFilteredCustomRulesKeepTheirRulesInEveryOrder() {
        Function<Scaled, Array> ste = Eqx.filterCustomJvp(s -> Jnp.round(s.x().mul(s.k().astype(DType.FLOAT64))),
                (s, t) -> new JvpResult<>(Jnp.round(s.x().mul(s.k().astype(DType.FLOAT64))),
                        t.x().mul(s.k().astype(DType.FLOAT64))));
        Function<Scaled, Array> vjp = Eqx.filterCustomVjp(s -> s.x().mul(s.k().astype(DType.FLOAT64)),
                s -> new Eqx.CustomVjpFwdTree<>(s.x().mul(s.k().astype(DType.FLOAT64)), List.of(s.k().astype(DType.FLOAT64))),
                (res, g) -> new Scaled(g.mul((Array) ((List<?>) res).get(0)).mul(2.0), null));
        Array k = Array.of(new int[] {2, -1, 3, 4}, 4);
        double[] kd = k.toDoubleArray();
        double[] twoK = each(k, v -> 2 * v);
        Function<Scaled, Array> vSte = Eqx.filterVmap(ste);
        Function<Scaled, Array> vVjp = Eqx.filterVmap(vjp);
        close(kd, Jax.grad((Array x) -> Jnp.sum(vSte.apply(new Scaled(x, k)))).apply(X), "jvp rule: grad(vmap)");
        close(diag(kd), Jax.jacfwd((Array x) -> vSte.apply(new Scaled(x, k))).apply(X), "jvp rule: jacfwd(vmap)");
        close(diag(kd), Jax.jacrev((Array x) -> vSte.apply(new Scaled(x, k))).apply(X), "jvp rule: jacrev(vmap)");
        Scaled perExample = Eqx.filterVmap((Scaled s) -> Eqx.filterGrad(ste).apply(s)).apply(new Scaled(X, k));
        close(kd, perExample.x(), "jvp rule: vmap(grad)");
        close(twoK, Jax.grad((Array x) -> Jnp.sum(vVjp.apply(new Scaled(x, k)))).apply(X), "vjp rule: grad(vmap)");
        close(diag(twoK), Jax.jacrev((Array x) -> vVjp.apply(new Scaled(x, k))).apply(X), "vjp rule: jacrev(vmap)");
        Scaled perExampleVjp = Eqx.filterVmap((Scaled s) -> Eqx.filterGrad(vjp).apply(s)).apply(new Scaled(X, k));
        close(twoK, perExampleVjp.x(), "vjp rule: vmap(grad)");
    }

    @Test
    void differentiatingACapturedValueIsRefusedWithJaxsAdvice() {
        String advice = ": the function with a custom rule closes over a value that is being differentiated; its custom"
                + " rule only covers its explicit arguments. Pass the value in as an argument (for several, use"
                + " Eqx.filterCustomJvp / filterCustomVjp over a tree) and adapt the rule";
        Array y0 = Array.scalar(0.3);
        List<Executable> jvpCases = List.of(
                () -> Jax.grad((Array c) -> scaledSte(c).apply(y0)).apply(Array.scalar(2.0)),
                () -> Jax.jacfwd((Array c) -> scaledSte(c).apply(y0)).apply(C),
                () -> Jax.grad((Array x) -> Jnp.sum(Jax.vmap((Array c) -> scaledSte(c).apply(y0)).apply(x))).apply(C));
        for (int i = 0; i < jvpCases.size(); i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, jvpCases.get(i), "case " + i);
            assertEquals("custom_jvp_call" + advice, e.getMessage(), "case " + i);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.grad((Array c) -> doubledScale(c).apply(y0)).apply(Array.scalar(2.0)));
        assertEquals("custom_vjp_call" + advice, e.getMessage());
    }

    /**
     * A rule that closes over a batched value its call does not carry (the function does not use it and no
     * argument is batched): under vmap(grad) it simply runs under the vmap; under grad(vmap) it runs under the
     * vmap entered again, where its result would vary while the call's does not, which is refused with the way
     * out (JAX broadcasts the primal there; Solstice's call keeps the avals it was staged with).
     */
    @Test
    void aRuleClosingOverABatchedValueItsCallDoesNotCarry() {
        Function<Array, Function<Array, Array>> f = c -> Jax.customJvp(Jnp::round,
                (y, t) -> new JvpResult<>(Jnp.round(y), t.mul(c)));
        Array y0 = Array.scalar(0.3);
        close(C.toDoubleArray(), Jax.vmap((Array c) -> Jax.grad((Array y) -> f.apply(c).apply(y)).apply(y0)).apply(C),
                "vmap(grad)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.grad((Array y) -> Jnp.sum(Jax.vmap((Array c) -> f.apply(c).apply(y)).apply(C))).apply(y0));
        assertTrue(e.getMessage().startsWith("vmap: a custom rule closes over a value batched by vmap that is not among"
                + " the operands of its call"), e.getMessage());
        // using the value in the function makes it an operand: the call is batched and the rule kept
        Function<Array, Function<Array, Array>> g = c -> Jax.customJvp(y -> Jnp.round(y).add(c.mul(0.0)),
                (y, t) -> new JvpResult<>(Jnp.round(y).add(c.mul(0.0)), t.mul(c)));
        double sumC = Jnp.sum(C).item();
        assertEquals(sumC, Jax.grad((Array y) -> Jnp.sum(Jax.vmap((Array c) -> g.apply(c).apply(y)).apply(C))).apply(y0)
                .item(), 1e-15);
        // and a rule that does not touch a batched value runs as usual when nothing is batched
        assertEquals(C.size(), Jax.grad((Array y) -> Jnp.sum(Jax.vmap((Array c) -> STE.apply(y).add(c)).apply(C)))
                .apply(y0).item(), 0.0);
    }

    /** Mixed partials: the inner derivative is the rule's, the outer one differentiates the rule itself. */
    @Test
    void aRuleClosingOverAnOuterDifferentiatedValueIsDifferentiatedByTheOuterTransformation() {
        Function<Array, Function<Array, Array>> f = a -> Jax.customJvp(y -> Jnp.sin(a.mul(y)),
                (y, t) -> new JvpResult<>(Jnp.sin(a.mul(y)), t.mul(a).mul(Jnp.cos(a.mul(y))).mul(2.0)));
        double y0 = 0.8;
        Function<Array, Array> inner = a -> Jax.grad((Array y) -> f.apply(a).apply(y)).apply(Array.scalar(y0));
        double[] a = C.toDoubleArray();
        close(each(C, v -> 2 * v * Math.cos(v * y0)), Jax.vmap(inner).apply(C), "vmap over the captured value");
        close(each(C, v -> 2 * Math.cos(v * y0) - 2 * v * y0 * Math.sin(v * y0)),
                Jax.vmap((Array ai) -> Jax.grad((Array b) -> inner.apply(b)).apply(ai)).apply(C), "d/da of the rule's derivative");
        assertEquals(2 * Math.cos(a[1] * y0) - 2 * a[1] * y0 * Math.sin(a[1] * y0),
                Jax.grad((Array ai) -> inner.apply(ai)).apply(Array.scalar(a[1])).item(), 1e-14);
    }

    @Test
    void stagingRecordsOneEquationPerCustomCallAndEvaluatingItUnderGradUsesTheRule() {
        Aval vec = X.aval();
        Array c = Array.of(1.0, 2.0, 0.5, -1.0);
        ClosedProgram cp = Staging.trace(a -> new Array[] {Jnp.exp(DOUBLED.apply(a[0])), shiftedSte(c).apply(a[0]),
                TRIPLED.apply(a[0])}, new Aval[] {vec});
        List<Eqn> eqns = cp.program().eqns();
        assertEquals(4, eqns.size(), cp.program().toString()); // the two custom_jvp_calls, exp, custom_vjp_call
        assertEquals(2, eqns.stream().filter(e -> e.primitive() instanceof CustomJvpCall).count(), cp.program().toString());
        assertEquals(1, eqns.stream().filter(e -> e.primitive() instanceof CustomVjpCall).count(), cp.program().toString());
        assertEquals(List.of(c), cp.consts(), "the captured array of the ste is a constant of the outer program");
        close(each(X, v -> Math.exp(Math.sin(v))), cp.call(new Array[] {X})[0], "evaluated");
        close(Jnp.round(X.add(c)).toDoubleArray(), cp.call(new Array[] {X})[1], "evaluated ste");
        Function<Array, Array> staged0 = x -> cp.call(new Array[] {x})[0];
        double[] rule = each(X, v -> Math.exp(Math.sin(v)) * 2 * Math.cos(v)); // the true derivative has no 2
        close(rule, Jax.grad(summed(staged0)).apply(X), "grad of the program");
        Array rows = Jnp.stack(List.of(X, X), 0);
        close(concat(rule, rule), Jax.grad(summed(Jax.vmap((Array x) -> cp.call(new Array[] {x})[0]))).apply(rows),
                "grad(vmap) of the program");
        close(new double[] {1, 1, 1, 1}, Jax.grad(summed(x -> cp.call(new Array[] {x})[1])).apply(X), "the ste's rule");
        close(each(X, v -> 3 * Math.cos(v)), Jax.grad(summed(x -> cp.call(new Array[] {x})[2])).apply(X), "the vjp's bwd");
    }

    /**
     * Rules that close over values traced while staging (an intermediate of the staged function, the call's own
     * argument): the trace has finished when grad evaluates the program and runs the rule, which then sees the
     * values those operands have (a jit program evaluated under grad meets this).
     */
    @Test
    void aRecordedRuleSeesTheValuesOfTheTracedOperandsItClosedOver() {
        Aval scalar = new Aval(DType.FLOAT64);
        ClosedProgram cp = Staging.trace(a -> {
            Array x = a[0];
            Array scale = Jnp.exp(a[1]);
            Array f = Jax.customJvp(y -> Jnp.sin(y).mul(scale),
                    (y, t) -> new JvpResult<>(Jnp.sin(x).mul(scale), t.mul(Jnp.cos(x)).mul(scale).mul(2.0))).apply(x);
            Array g = Jax.customVjp(y -> y.mul(scale), y -> new CustomVjpFwd(y.mul(scale), List.of()),
                    (r, ct) -> ct.mul(scale).mul(3.0)).apply(x);
            return new Array[] {f, g};
        }, new Aval[] {scalar, scalar});
        double w = 0.4;
        Array wa = Array.scalar(w);
        double x0 = 0.7;
        Function<Integer, UnaryOperator<Array>> output = k -> x -> cp.call(new Array[] {x, wa})[k];
        assertEquals(Math.sin(x0) * Math.exp(w), output.apply(0).apply(Array.scalar(x0)).item(), 1e-15, "evaluated");
        assertEquals(2 * Math.cos(x0) * Math.exp(w), Jax.grad(output.apply(0)).apply(Array.scalar(x0)).item(), 1e-14,
                "grad uses the jvp rule");
        assertEquals(3 * Math.exp(w), Jax.grad(output.apply(1)).apply(Array.scalar(x0)).item(), 1e-14, "grad uses bwd");
        double[] d = each(X, v -> 2 * Math.cos(v) * Math.exp(w));
        close(d, Jax.grad(summed(Jax.vmap(output.apply(0)))).apply(X), "grad(vmap)");
        close(d, Jax.vmap(Jax.grad(output.apply(0))).apply(X), "vmap(grad)");
        close(each(X, v -> 3 * Math.exp(w)), Jax.grad(summed(Jax.vmap(output.apply(1)))).apply(X), "grad(vmap), bwd");
        close(each(X, v -> 3 * Math.exp(w)), Jax.jacrev((Array x) -> Jax.vmap(output.apply(1)).apply(x)).apply(X)
                .reshape(4, 4).sum(1), "jacrev(vmap), bwd");
        // the scale is a captured operand of the calls: differentiating with respect to w is refused
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.grad((Array v) -> cp.call(new Array[] {Array.scalar(x0), v})[0]).apply(wa));
        assertTrue(e.getMessage().startsWith("custom_jvp_call: the function with a custom rule closes over"), e.getMessage());
    }

    @Test
    void aCustomCallInsideACustomFunctionIsStagedIntoItsProgramAndVectorisedWithIt() {
        // the outer function calls a straight-through estimator closing over a batched value; the outer rule says 5
        Function<Array, Function<Array, Array>> outer = c -> Jax.customJvp(y -> shiftedSte(c).apply(y).mul(2.0),
                (y, t) -> new JvpResult<>(shiftedSte(c).apply(y).mul(2.0), t.mul(5.0)));
        Function<Array, Array> batched = pairwise(outer, C);
        close(Jnp.round(X.add(C)).mul(2.0).toDoubleArray(), batched.apply(X), "the value");
        everyOrder(outer, new double[] {5, 5, 5, 5}, "outer rule");
        // without an outer rule the inner one is used, through the outer function's own staging
        Function<Array, Function<Array, Array>> plain = c -> y -> shiftedSte(c).apply(y).mul(2.0);
        everyOrder(plain, new double[] {2, 2, 2, 2}, "inner rule");
    }
}
