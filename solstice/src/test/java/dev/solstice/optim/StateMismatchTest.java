package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A state that does not belong to the transformation (another optimiser's, or one made for other parameters)
 * is refused before the update runs, by comparing structures, not by reading the message of whatever
 * exception the update would throw: some mismatches throw nothing at all (a state made for a [1]-shaped
 * parameter broadcasts against a [3]-shaped gradient).
 */
class StateMismatchTest {
    private static final List<Array> PARAMS = List.of(Array.of(1.0, 2.0, 3.0), Array.of(new double[] {1, 2, 3, 4}, 2, 2));
    private static final List<Array> GRADS = List.of(Array.of(0.1, 0.2, 0.3), Array.of(new double[] {1, 1, 1, 1}, 2, 2));

    @Test
    void theRightStateIsAccepted() {
        GradientTransformation<?> adam = Optim.adam(1e-2);
        Object state = adam.init(PARAMS);
        for (int i = 0; i < 3; i++) {
            Update<?> u = Optim.update(adam, GRADS, state, PARAMS);
            state = u.state();
        }
    }

    @Test
    void anotherOptimisersStateIsRefused() {
        Object sgdState = Optim.sgd(1e-2, 0.9, false).init(PARAMS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(Optim.adam(1e-2), GRADS, sgdState, PARAMS));
        assertTrue(e.getMessage().contains("does not have the structure"), e.getMessage());
    }

    @Test
    void aStateForOtherParametersIsRefusedEvenWhereItWouldBroadcast() {
        GradientTransformation<?> adam = Optim.adam(1e-2);
        Object smallState = adam.init(List.of(Array.of(1.0), Array.of(new double[] {1, 2, 3, 4}, 2, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(adam, GRADS, smallState, PARAMS));
        assertTrue(e.getMessage().contains("float64[1]") && e.getMessage().contains("float64[3]"), e.getMessage());
    }

    @Test
    void nullGradientsWithoutParametersDoNotRaiseFalseAlarms() {
        GradientTransformation<?> adam = Optim.adam(1e-2);
        Object state = adam.init(PARAMS);
        List<Array> someNull = Arrays.asList(null, GRADS.get(1));
        Update<?> u = Optim.update(adam, someNull, state, null);
        assertTrue(((List<?>) u.updates()).get(0) == null);
    }

    @Test
    void aClassCastExceptionOfTheUpdatesOwnIsNotReportedAsAStateMismatch() {
        ClassCastException own = new ClassCastException("class dev.solstice.optim.ChainState cannot be cast to X");
        GradientTransformation<Object> broken = new GradientTransformation<>() {
            @Override
            public Object init(Object params) {
                return List.of();
            }

            @Override
            public Update<Object> update(Object grads, Object state, Object params) {
                throw own;
            }
        };
        ClassCastException e = assertThrows(ClassCastException.class, () -> Optim.update(broken, GRADS, List.of(), PARAMS));
        assertSame(own, e);
        assertArrayEquals(new double[] {1, 2, 3}, PARAMS.get(0).toDoubleArray());
    }
}
