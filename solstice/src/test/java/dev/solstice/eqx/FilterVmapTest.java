package dev.solstice.eqx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.nn.Module;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Eqx.filterVmap and Eqx.ifArray: ensembles of models, checked against a loop over the members. */
class FilterVmapTest {

    record Affine(Array w, Array b, int width, String name) implements Module {
        Array apply(Array x) {
            return Jnp.tanh(w.matmul(x).add(b));
        }
    }

    private static Array det(int n, double phase, int... shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(1.3 * i + phase);
        }
        return Array.of(v, shape);
    }

    @Test
    void anEnsembleOfModelsEqualsTheLoopOverItsMembers() {
        int members = 4;
        Affine ensemble = new Affine(det(members * 6, 0.1, members, 3, 2), det(members * 3, 0.7, members, 3), 3, "ens");
        Array x = Array.of(0.5, -1.5);
        Function<Affine, Array> out = Eqx.filterVmap((Affine m) -> m.apply(x));
        Array batched = out.apply(ensemble);
        assertArrayEquals(new int[] {members, 3}, batched.shape());
        for (int k = 0; k < members; k++) {
            Affine member = new Affine(ensemble.w().get(k), ensemble.b().get(k), 3, "ens");
            double[] expected = new double[3];
            double[] w = member.w().toDoubleArray();
            double[] b = member.b().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                expected[i] = Math.tanh(w[2 * i] * 0.5 + w[2 * i + 1] * -1.5 + b[i]);
            }
            assertArrayEquals(expected, batched.get(k).toDoubleArray(), 1e-15, "member " + k);
        }
    }

    @Test
    void perMemberGradientsKeepStaticFieldsAndMatchTheLoop() {
        int members = 3;
        Affine ensemble = new Affine(det(members * 4, 0.3, members, 2, 2), det(members * 2, 0.9, members, 2), 2, "g");
        Array x = Array.of(1.0, 2.0);
        Function<Affine, Affine> grad = Eqx.filterGrad((Affine m) -> Jnp.sum(Jnp.square(m.apply(x))));
        Affine g = Eqx.filterVmap(grad).apply(ensemble);
        assertEquals(2, g.width());
        assertEquals("g", g.name());
        for (int k = 0; k < members; k++) {
            Affine gk = grad.apply(new Affine(ensemble.w().get(k), ensemble.b().get(k), 2, "g"));
            assertArrayEquals(gk.w().toDoubleArray(), g.w().get(k).toDoubleArray(), 1e-15);
            assertArrayEquals(gk.b().toDoubleArray(), g.b().get(k).toDoubleArray(), 1e-15);
        }
    }

    @Test
    void ifArraySpecsPerArgumentAndUnbatchedInputs() {
        Array xs = det(8, 0.2, 4, 2);
        Array shared = Array.of(10.0, 20.0);
        Function<List<Array>, Array> f = l -> Jnp.sum(l.get(0).mul(l.get(1)));
        Array r = Eqx.filterVmap(f, Arrays.asList(Eqx.ifArray(0), null), Eqx.ifArray(0)).apply(List.of(xs, shared));
        double[] v = xs.toDoubleArray();
        for (int k = 0; k < 4; k++) {
            assertEquals(v[2 * k] * 10 + v[2 * k + 1] * 20, r.get(k).item(), 1e-13);
        }
        Array cols = Eqx.filterVmap((Array c) -> Jnp.sum(c), Eqx.ifArray(-1), Eqx.ifArray(0)).apply(xs);
        assertEquals(v[0] + v[2] + v[4] + v[6], cols.get(0).item(), 1e-14);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterVmap(f).apply(List.of(xs, Array.of(1.0, 2.0, 3.0))));
        assertTrue(e.getMessage().contains("inconsistent batch sizes"), e.getMessage());
    }
}
