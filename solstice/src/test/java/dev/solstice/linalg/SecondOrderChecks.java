package dev.solstice.linalg;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The second-order check the linear-algebra tests share: for each function, its JVP against central
 * differences, the four pairings of forward and reverse mode in the second derivative against each other,
 * and the second derivative along {@code v} against central differences of the first (float64); and vmap
 * against the per-example loop, jit against eager, vmap of a gradient against the loop.
 */
final class SecondOrderChecks {
    private SecondOrderChecks() {}

    static void assertAgree(List<UnaryOperator<Array>> fs, Array a, Array v) {
        for (int i = 0; i < fs.size(); i++) {
            UnaryOperator<Array> f = fs.get(i);
            Numeric.assertClose(Numeric.centralDifference(f, a, v, 1e-4), Jax.jvp(f, a, v).tangent().toDoubleArray(),
                    1e-7, 1e-8, "function " + i + ": jvp vs central differences");
            double[] ff = Jax.jacfwd(Jax.jacfwd(f)).apply(a).toDoubleArray();
            for (boolean outer : new boolean[] {true, false}) {
                for (boolean inner : new boolean[] {true, false}) {
                    UnaryOperator<Array> in = inner ? Jax.jacfwd(f) : Jax.jacrev(f);
                    UnaryOperator<Array> both = outer ? Jax.jacfwd(in) : Jax.jacrev(in);
                    Numeric.assertClose(ff, both.apply(a).toDoubleArray(), 1e-9, 1e-9,
                            "function " + i + ": jac" + (outer ? "fwd" : "rev") + " of jac" + (inner ? "fwd" : "rev"));
                }
            }
            double[] fd = Numeric.centralDifference(Jax.jacrev(f), a, v, 1e-4);
            double[] vv = v.toDoubleArray();
            double[] hv = new double[fd.length];
            for (int k = 0; k < fd.length; k++) {
                for (int j = 0; j < vv.length; j++) {
                    hv[k] += ff[k * vv.length + j] * vv[j];
                }
            }
            Numeric.assertClose(fd, hv, 1e-6, 1e-7, "function " + i + ": second derivative along v vs central differences");
        }
    }

    /** Over a batch {@code as} of three examples: vmap vs each example, jit vs eager, vmap of grad vs the loop. */
    static void assertVmapAndJitAgree(List<UnaryOperator<Array>> fs, Array as) {
        for (int i = 0; i < fs.size(); i++) {
            UnaryOperator<Array> f = fs.get(i);
            Array batched = Jax.vmap(f, 0, 0).apply(as);
            Array jitted = Jax.jit(f).apply(as.get(1));
            for (int e = 0; e < 3; e++) {
                Numeric.assertClose(f.apply(as.get(e)).toDoubleArray(), batched.get(e).toDoubleArray(), 1e-12, 1e-12,
                        "function " + i + ": vmap vs example " + e);
            }
            Numeric.assertClose(f.apply(as.get(1)).toDoubleArray(), jitted.toDoubleArray(), 1e-12, 1e-12, "function " + i + ": jit");
            UnaryOperator<Array> g = Jax.grad((Array z) -> Jnp.sum(Jnp.sin(f.apply(z))));
            Array grads = Jax.vmap(g, 0, 0).apply(as);
            Numeric.assertClose(g.apply(as.get(2)).toDoubleArray(), grads.get(2).toDoubleArray(), 1e-11, 1e-12,
                    "function " + i + ": vmap of grad");
        }
    }
}
