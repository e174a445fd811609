package dev.solstice.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.Linear;
import dev.solstice.nn.Module;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Tree.pformat / Eqx.treePformat against renderings written by hand in Equinox's tree_pformat style. */
class TreeFormatTest {
    record Affine(Array w, Array b, int width, String name) implements Module {}

    record Net(List<Linear> layers, UnaryOperator<Array> activation, String name) implements Module {}

    record Shaped(int[] shape, double eps) {}

    @Test
    void layersPrintArraysAsDtypeAndShape() {
        assertEquals("Linear(weight=f32[4,3], bias=f32[4], inFeatures=3, outFeatures=4)",
                new Linear(3, 4, Prng.key(0)).toString());
        assertEquals("Linear(weight=f64[1,2], bias=null, inFeatures=2, outFeatures=1)",
                new Linear(2, 1, false, DType.FLOAT64, Prng.key(1)).toString());
    }

    @Test
    void scalarsShowTheirValuesAndJavaArraysTheirContents() {
        Affine a = new Affine(Jnp.zeros(DType.FLOAT64, 4, 3), Array.of(1.5, 2.5), 4, "aff");
        assertEquals("Affine(w=f64[4,3], b=f64[2], width=4, name=\"aff\")", Eqx.treePformat(a));
        assertEquals("[f32[](0.5), i32[7]]", Eqx.treePformat(List.of(Array.scalar(0.5f), Jnp.arange(7))));
        assertEquals("Shaped(shape=[2, 3], eps=1.0E-5)", Eqx.treePformat(new Shaped(new int[] {2, 3}, 1e-5)));
    }

    @Test
    void longTreesIndentOneItemPerLine() {
        Net net = new Net(List.of(new Linear(3, 4, Prng.key(0)), new Linear(4, 2, Prng.key(1))), Jnp::tanh, "net");
        assertEquals("""
                Net(
                  layers=[
                    Linear(weight=f32[4,3], bias=f32[4], inFeatures=3, outFeatures=4),
                    Linear(weight=f32[2,4], bias=f32[2], inFeatures=4, outFeatures=2)
                  ],
                  activation=<function>,
                  name="net"
                )""", Eqx.treePformat(net));
    }

    @Test
    void aStructPrintsAsTheRecordItStandsFor() {
        Struct s = new Struct(Affine.class, List.of("w", "b"), List.of(Jnp.zeros(DType.FLOAT32, 2, 2), Array.of(1.0)));
        assertEquals("Affine(w=f32[2,2], b=f64[1])", s.toString());
    }
}
