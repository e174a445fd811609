package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.core.Aval;
import dev.solstice.core.ConcretizationTypeError;
import dev.solstice.DType;
import dev.solstice.ir.ClosedProgram;
import org.junit.jupiter.api.Test;

/** Tracing a function to a closed program: recording, closure conversion, concreteness errors. */
class StagingTest {
    private static final Aval VEC3 = new Aval(DType.FLOAT64, 3);

    @Test
    void everyOperationIsRecordedAndACapturedArrayBecomesAConstvar() {
        Array c = Array.of(1.0, 2.0, 3.0);
        ClosedProgram cp = Staging.trace(a -> new Array[] {Jnp.sin(a[0]).mul(c).add(Jnp.sin(c))}, new Aval[] {VEC3});
        assertEquals(1, cp.consts().size());
        assertSame(c, cp.consts().get(0));
        assertEquals(1, cp.numArgs());
        assertEquals(4, cp.program().eqns().size(), cp.program().toString()); // sin, mul, sin (of the constant), add
        Array x = Array.of(0.5, -1.0, 2.0);
        double[] got = cp.call(new Array[] {x})[0].toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double xi = x.toDoubleArray()[i];
            double ci = c.toDoubleArray()[i];
            assertEquals(Math.sin(xi) * ci + Math.sin(ci), got[i], 0.0);
        }
    }

    @Test
    void anOutputThatIsAnArgumentOrACapturedValueIsForwarded() {
        Array c = Array.of(4.0, 5.0, 6.0);
        ClosedProgram cp = Staging.trace(a -> new Array[] {a[0], c}, new Aval[] {VEC3});
        assertEquals(0, cp.program().eqns().size());
        Array[] out = cp.call(new Array[] {Array.of(1.0, 2.0, 3.0)});
        assertArrayEquals(new double[] {1, 2, 3}, out[0].toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6}, out[1].toDoubleArray());
    }

    /** A tracer of an enclosing grad captured by the traced function is an operand: its derivative flows. */
    @Test
    void aCapturedTracerOfAnEnclosingGradIsDifferentiated() {
        Array x = Array.scalar(3.0);
        Array dy = Jax.grad((Array y) -> {
            ClosedProgram cp = Staging.trace(a -> new Array[] {a[0].mul(y).mul(y)}, new Aval[] {x.aval()});
            return cp.call(new Array[] {x})[0];
        }).apply(Array.scalar(2.0));
        assertEquals(2 * 3.0 * 2.0, dy.item(), 0.0); // d/dy (x y^2) = 2 x y
    }

    @Test
    void askingATracedValueForNumbersNamesTheCallAndTheWayOut() {
        ConcretizationTypeError e = assertThrows(ConcretizationTypeError.class,
                () -> Staging.trace(a -> new Array[] {a[0].item() > 0 ? a[0] : Jnp.negative(a[0])},
                        new Aval[] {new Aval(DType.FLOAT32)}));
        assertTrue(e.getMessage().startsWith("item() needs a concrete value"), e.getMessage());
        assertTrue(e.getMessage().contains("float32[]") && e.getMessage().contains("Lax.cond"), e.getMessage());
        ConcretizationTypeError e2 = assertThrows(ConcretizationTypeError.class,
                () -> Staging.trace(a -> new Array[] {Array.of(a[0].toDoubleArray())}, new Aval[] {VEC3}));
        assertTrue(e2.getMessage().startsWith("toDoubleArray() needs a concrete value"), e2.getMessage());
    }
}
