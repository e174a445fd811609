package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import org.junit.jupiter.api.Test;

/**
 * A tangent that reaches the boundary of linearize without being staged (it does not depend on the input
 * tangents) is zero by construction for a correct rule. A known non-zero one can only come from a rule that is
 * not linear in its tangents: it must be an internal error, never dropped as a silent zero (which would turn
 * a wrong rule into a plausible wrong derivative).
 */
class LinearizeBoundaryTest {

    /** Identity whose JVP ignores the input tangent and returns {@code fill} everywhere: a broken rule. */
    private record ConstantTangent(double fill) implements Primitive {
        Array apply(Array x) {
            return Interpreters.bind1(this, x);
        }

        @Override
        public Aval[] shapeRule(Aval[] in) {
            return new Aval[] {in[0]};
        }

        @Override
        public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
            return new DenseArray[] {DenseArray.wrap(outAvals[0], in[0].doubles().clone())};
        }

        @Override
        public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
            double[] t = new double[outs[0].size()];
            java.util.Arrays.fill(t, fill);
            return new Array[] {DenseArray.wrap(outs[0].aval(), t)};
        }
    }

    private static final Array X = Array.of(1.0, -2.0, 3.0);

    @Test
    void aKnownNonZeroTangentAtTheBoundaryIsAnInternalError() {
        ConstantTangent broken = new ConstantTangent(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Jax.linearize(broken::apply, X));
        assertTrue(e.getMessage().contains("internal error") && e.getMessage().contains("not linear"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Jax.grad((Array x) -> dev.solstice.Jnp.sum(broken.apply(x))).apply(X));
        assertThrows(IllegalStateException.class, () -> Jax.jacrev(broken::apply).apply(X));
    }

    @Test
    void knownZerosAtTheBoundaryAreAZeroDerivative() {
        ConstantTangent zeros = new ConstantTangent(0.0);
        Array g = Jax.grad((Array x) -> dev.solstice.Jnp.sum(zeros.apply(x))).apply(X);
        assertArrayEquals(new double[3], g.toDoubleArray());
    }
}
