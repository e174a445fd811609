package dev.solstice.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.core.DenseArray;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Programs in float16, bfloat16, int8, uint8 and int64: the generator draws them (integer programs only from the
 * integer-safe kinds, half programs without factorisations), they pass their checks, and those checks can fail:
 * one ulp of difference between jit and eager, or vmap and the loop, is caught, and so is a half-precision
 * result far from the float32 run.
 */
class NewDTypesFuzzTest {
    private static final Set<Kind> INTEGER_SAFE = EnumSet.of(Kind.SQUARE, Kind.NEG, Kind.ABS, Kind.ADD, Kind.SUB, Kind.MUL,
            Kind.MAXIMUM, Kind.MINIMUM, Kind.SELECT, Kind.REDUCE_SUM, Kind.REDUCE_MAX, Kind.REDUCE_MIN, Kind.REDUCE_PROD,
            Kind.DOT_GENERAL, Kind.RESHAPE, Kind.TRANSPOSE, Kind.SLICE, Kind.PAD, Kind.CONCATENATE, Kind.REV, Kind.BROADCAST,
            Kind.DYNAMIC_SLICE, Kind.TAKE_ALONG_AXIS, Kind.SORT, Kind.CUMSUM, Kind.CUMPROD, Kind.CUMMAX);

    /** {@code x * x + x} in the given dtype. */
    private static FuzzProgram squarePlus(DType t) {
        return new FuzzProgram(t, new int[] {3}, List.of(
                new Node(Kind.SQUARE, new int[] {0}, new int[0][], new int[] {3}),
                new Node(Kind.ADD, new int[] {1, 0}, new int[0][], new int[] {3})));
    }

    @Test
    void theGeneratorDrawsEveryNewDtypeWithFittingKinds() {
        ProgramGenerator generator = new ProgramGenerator(5, 8, 12);
        EnumSet<DType> seen = EnumSet.noneOf(DType.class);
        int checked = 0;
        for (int i = 0; i < 400; i++) {
            FuzzProgram p = generator.next();
            seen.add(p.dtype());
            if (p.dtype().isInteger()) {
                assertTrue(p.nodes().stream().allMatch(n -> INTEGER_SAFE.contains(n.kind())), p.toString());
            }
            if (p.dtype().bits() == 16) {
                assertTrue(p.nodes().stream().noneMatch(n -> n.kind() == Kind.CHOLESKY || n.kind() == Kind.SOLVE), p.toString());
            }
            if (!(p.dtype() == DType.FLOAT32 || p.dtype() == DType.FLOAT64) && checked < 60) {
                checked++;
                ProgramChecks.Outcome o = ProgramChecks.check(p, 1000L + i, null);
                assertNotEquals(ProgramChecks.Status.FAILED, o.status(), p + ": " + o.check() + " " + o.message());
            }
        }
        assertEquals(EnumSet.of(DType.FLOAT64, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.UINT8,
                DType.INT64), seen);
    }

    @Test
    void jitAndVmapMustGiveTheEagerBitsInTheNewDtypes() {
        for (DType t : new DType[] {DType.BFLOAT16, DType.FLOAT16, DType.INT8, DType.UINT8, DType.INT64}) {
            FuzzProgram p = squarePlus(t);
            assertEquals(ProgramChecks.Status.PASSED, ProgramChecks.check(p, 3, null).status(), t.toString());
            // one more unit in the last place (or 1 for integers) only when traced
            UnaryOperator<Array> off = x -> x instanceof DenseArray ? p.apply(x)
                    : t.isInteger() ? Jnp.add(p.apply(x), Jnp.onesLike(p.apply(x))) : Jnp.multiply(p.apply(x), 1 + Math.scalb(1.0, -6));
            ProgramChecks.Outcome jit = ProgramChecks.check(p, off, 3, "jit");
            assertEquals(ProgramChecks.Status.FAILED, jit.status(), t + " jit");
            ProgramChecks.Outcome vmap = ProgramChecks.check(p, off, 3, "vmap");
            assertEquals(ProgramChecks.Status.FAILED, vmap.status(), t + " vmap");
        }
    }

    @Test
    void aHalfResultFarFromTheFloat32RunFails() {
        FuzzProgram p = squarePlus(DType.BFLOAT16);
        UnaryOperator<Array> drifting = x -> x.dtype() == DType.BFLOAT16 ? Jnp.multiply(p.apply(x), 1.5) : p.apply(x);
        ProgramChecks.Outcome o = ProgramChecks.check(p, drifting, 3, "f32");
        assertEquals(ProgramChecks.Status.FAILED, o.status());
        assertTrue(o.message().contains("float32 run"), o.message());
        String source = Reproducer.source("ReproF32", p, o);
        assertTrue(source.contains("astype(DType.FLOAT32)") && source.contains("astype(DType.BFLOAT16)"), source);
    }
}
