package dev.solstice.tree;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.Identity;
import dev.solstice.nn.Layer;
import dev.solstice.nn.Linear;
import dev.solstice.nn.MLP;
import dev.solstice.nn.MultiheadAttention;
import dev.solstice.nn.Sequential;
import dev.solstice.nn.Shared;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Eqx#treeCheck}: cycles and repeated arrays or layers are refused with both paths named. */
class TreeCheckTest {

    record Holder(List<Object> items) {}

    record Two(Array a, Array b) {}

    record Box(Object content) {}

    private static IllegalArgumentException refused(Object tree) {
        return assertThrows(IllegalArgumentException.class, () -> Eqx.treeCheck(tree));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "missing '" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void cleanTreesPass() {
        assertDoesNotThrow(() -> Eqx.treeCheck(new Sequential(List.of(new Linear(3, 4, Prng.key(1)), new Linear(4, 2, Prng.key(2))))));
        assertDoesNotThrow(() -> Eqx.treeCheck(new MLP(3, 2, 4, 2, Jnp::tanh, Prng.key(3))));
        assertDoesNotThrow(() -> Eqx.treeCheck(new MultiheadAttention(2, 4, Prng.key(4))));
        assertDoesNotThrow(() -> Eqx.treeCheck(null));
        assertDoesNotThrow(() -> Eqx.treeCheck(Array.of(1.0)));
        assertDoesNotThrow(() -> Eqx.treeCheck(Map.of("a", Array.of(1.0), "b", Optional.of(Array.of(2.0)))));
    }

    @Test
    void nodesWithoutArraysMayRepeat() {
        Identity id = new Identity();
        List<Object> empty = List.of();
        assertDoesNotThrow(() -> Eqx.treeCheck(new Sequential(List.<Layer>of(id, id))));
        assertDoesNotThrow(() -> Eqx.treeCheck(List.of(empty, empty, Optional.empty(), Optional.empty(), "s", "s", 1, 1)));
    }

    @Test
    void theSameArrayAtTwoPathsIsRefused() {
        Array w = Array.of(1.0, 2.0);
        IllegalArgumentException e = refused(List.of(new Two(w, Array.of(3.0)), new Two(Array.of(4.0), w)));
        assertMentions(e, "Eqx.treeCheck", "array float64[2]", "[0].a", "[1].b", "nn.Shared");
        assertMentions(refused(new Two(w, w)), "reached at a and at b");
    }

    @Test
    void theSameLayerAtTwoPathsIsRefusedAsALayer() {
        Linear l = new Linear(2, 2, Prng.key(5));
        IllegalArgumentException e = refused(new Sequential(List.of(l, new Identity(), l)));
        assertMentions(e, "the same Linear", "layers[0]", "layers[2]", "Shared.of");
    }

    @Test
    void aListThatHoldsItsOwnerIsACycle() {
        List<Object> items = new ArrayList<>();
        Holder h = new Holder(items);
        items.add(Array.of(1.0));
        items.add(h);
        IllegalArgumentException e = refused(h);
        assertMentions(e, "cycle", "Holder at the root", "again at items[1]");
    }

    @Test
    void javaArraysAndMapsCanCycleToo() {
        Object[] self = new Object[2];
        self[0] = Array.of(1.0);
        self[1] = self;
        assertMentions(refused(new Box(self)), "cycle", "content", "content[1]");
        Map<String, Object> m = new HashMap<>();
        m.put("x", Array.of(1.0));
        m.put("y", List.of(new Box(m)));
        assertMentions(refused(m), "cycle", "the root", "[\"y\"][0].content");
        // a cycle through nodes without arrays is still a cycle: flattening would never end
        List<Object> bare = new ArrayList<>();
        bare.add(bare);
        assertMentions(refused(bare), "cycle");
    }

    @Test
    void aSharedTreeHoldsItsTiedArrayOnceAndPasses() {
        Linear a = new Linear(2, 2, Prng.key(6));
        Linear b = new Linear(2, 2, Prng.key(7));
        record Pairish(Linear x, Linear y) {}
        Shared<Pairish> s = Shared.of(new Pairish(a, b), p -> p.y().weight(), p -> p.x().weight());
        assertDoesNotThrow(() -> Eqx.treeCheck(List.of(s)));
        // what Shared undoes: the tree it gives back holds the array twice, on purpose
        assertMentions(refused(s.apply()), "x.weight", "y.weight");
    }

    @Test
    void theLibrarysLayersAreTrees() {
        Linear lin = new Linear(3, 4, Prng.key(8));
        List<Object> layers = List.of(new dev.solstice.nn.LayerNorm(4), new dev.solstice.nn.GroupNorm(2, 4),
                new dev.solstice.nn.RMSNorm(4), new dev.solstice.nn.Conv2d(2, 3, 3, Prng.key(9)),
                new dev.solstice.nn.GRUCell(3, 4, Prng.key(10)), new dev.solstice.nn.LSTMCell(3, 4, Prng.key(11)),
                new dev.solstice.nn.PReLU(), new dev.solstice.nn.SpectralNorm<>(lin, Linear::weight, Prng.key(12)),
                new dev.solstice.nn.WeightNorm<>(new Linear(3, 4, Prng.key(13)), Linear::weight, 0),
                Eqx.makeWithState(new dev.solstice.nn.BatchNorm(4, "batch")), new dev.solstice.nn.RotaryPositionalEmbedding(4),
                new dev.solstice.nn.Dropout(0.5), new dev.solstice.nn.Dropout(0.5));
        assertDoesNotThrow(() -> Eqx.treeCheck(layers));
    }
}
