package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.tree.Tree;
import org.junit.jupiter.api.Test;

/**
 * Masks, labels and error paths on a record whose constructor validates its fields: nothing may rebuild the
 * user's tree with foreign values (such as numbered scalars) in it.
 */
class ValidatingRecordTest {
    /** A dense layer that accepts only a 2-d weight ({@code null} is "no value", as everywhere in trees). */
    record Dense(Array weight, Array bias) {
        Dense {
            if (weight != null && weight.ndim() != 2) {
                throw new IllegalArgumentException("Dense: the weight must be 2-d, got " + weight.aval().str());
            }
        }
    }

    static Dense dense(double w, double b) {
        return new Dense(Array.of(new double[] {w, 2 * w}, 1, 2), Array.of(b));
    }

    @Test
    void predicateMasksWorkOnIt() {
        Dense params = dense(1.0, -1.0);
        Dense g = dense(0.5, 3.0);
        Dense u = (Dense) Optim.update(Optim.masked(Optim.scale(10), (path, leaf) -> path.toString().equals("weight")), g,
                Optim.masked(Optim.scale(10), (path, leaf) -> true).init(params), params).updates();
        assertArrayEquals(new double[] {5.0, 10.0}, u.weight().toDoubleArray(), 0);
        assertArrayEquals(new double[] {3.0}, u.bias().toDoubleArray(), 0);

        GradientTransformation<?> frozen = Optim.trainOnly(Optim.sgd(0.1), (path, leaf) -> leaf.ndim() == 1);
        Dense v = (Dense) Optim.update(frozen, g, frozen.init(params), params).updates();
        assertNull(v.weight());
        assertEquals(-0.3, v.bias().item(), 1e-15);

        GradientTransformation<?> adamw = Optim.adamw(0.1, 0.5, (path, leaf) -> leaf.ndim() > 1);
        Dense w = (Dense) Optim.update(adamw, g, adamw.init(params), params).updates();
        // first Adam step is -lr sign(g); the weight is decayed (-lr wd w), the bias is not
        assertArrayEquals(new double[] {-0.1 - 0.05, -0.1 - 0.1}, w.weight().toDoubleArray(), 1e-7);
        assertEquals(-0.1, w.bias().item(), 1e-7);
    }

    @Test
    void labelsWorkOnIt() {
        GradientTransformation<?> opt = Optim.multiTransform(java.util.Map.of("w", Optim.scale(2), "b", Optim.scale(-1)),
                (path, leaf) -> leaf.ndim() == 2 ? "w" : "b");
        Dense params = dense(1.0, -1.0);
        Object state = opt.init(params);
        assertEquals(0, Tree.leaves(state).size());
        Dense u = (Dense) Optim.update(opt, dense(0.5, 3.0), state, params).updates();
        assertArrayEquals(new double[] {1.0, 2.0}, u.weight().toDoubleArray(), 0);
        assertEquals(-3.0, u.bias().item(), 0);
    }

    @Test
    void errorsNameThePathInIt() {
        Dense params = dense(1.0, -1.0);
        // an integer gradient
        Dense intBias = new Dense(params.weight(), Array.of(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(Optim.sgd(0.1), intBias, Optim.sgd(0.1).init(params), params));
        assertTrue(e.getMessage().contains("int32") && e.getMessage().contains("at bias"), e.getMessage());
        // a gradient where the state has none
        GradientTransformation<?> adam = Optim.adam(0.1);
        Object state = adam.init(new Dense(params.weight(), null));
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(adam, params, state, params));
        assertTrue(f.getMessage().contains("at bias") && f.getMessage().contains("optimiser state"), f.getMessage());
    }
}
