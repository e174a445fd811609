package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.kernel.Conversions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dtypes examples are not written in (float16, bfloat16, int8, uint8, uint32, int64), for every primitive
 * with examples that accepts them ({@link PrimitiveContractTest#ACCEPTS}): each int32 example is retyped with
 * its values reduced into [0, 100], so that every integer type holds them, and evaluated in each accepted
 * integer type; the oracle is the int32 kernels' result on the same values, converted (int64 and uint32 run
 * through separate loops, int8 and uint8 through int32 ones and wrap-around). Each float32 example is
 * retyped to float16 and bfloat16, and must give the float32 kernels' result on the rounded operands,
 * rounded once more: the shape rules accept the types, and the outputs have the types the rules state.
 */
class NewDTypesContractTest {
    private static final List<DType> NEW_INTEGERS = List.of(DType.INT64, DType.UINT32, DType.INT8, DType.UINT8);
    private static final List<DType> NEW_FLOATS = List.of(DType.FLOAT16, DType.BFLOAT16);
    /** Operands that hold data (retyped) where the others are indices (kept int32). */
    private static final java.util.Map<String, Set<Integer>> DATA_OPERANDS = java.util.Map.of(
            "gather", Set.of(0), "scatter_add", Set.of(0, 2), "dynamic_slice", Set.of(0),
            "dynamic_update_slice", Set.of(0, 1), "error_if", Set.of(0));

    @Test
    void integerExamplesAgreeInEveryIntegerType() throws Exception {
        int checked = 0;
        for (Example e : examples(DType.INT32)) {
            Set<DType> accepted = PrimitiveContractTest.ACCEPTS.get(e.primitive().name()).apply(e.primitive());
            Array[] small = reduced(e);
            Array[] expected = Interpreters.bind(e.primitive(), small);
            for (DType t : NEW_INTEGERS) {
                if (!accepted.contains(t) || overflowsInt32(e, t, expected)) {
                    continue;
                }
                Array[] got = Interpreters.bind(e.primitive(), retyped(e, small, DType.INT32, t));
                for (int i = 0; i < got.length; i++) {
                    DenseArray want = expected[i].concrete();
                    DType wantType = want.dtype() == DType.INT32 && !isIndexOutput(e, i) ? t : want.dtype();
                    assertEquals(wantType, got[i].dtype(), e + " in " + t + ": output " + i);
                    assertEquals(Arrays.toString(Conversions.convert(want, wantType).toLongArray()),
                            Arrays.toString(got[i].toLongArray()), e + " in " + t + ": output " + i);
                }
                checked++;
            }
        }
        assertTrue(checked > 100, "only " + checked + " integer checks ran");
    }

    @Test
    void float32ExamplesRunInFloat16AndBfloat16() throws Exception {
        int checked = 0;
        for (Example e : examples(DType.FLOAT32)) {
            Set<DType> accepted = PrimitiveContractTest.ACCEPTS.get(e.primitive().name()).apply(e.primitive());
            for (DType t : NEW_FLOATS) {
                if (!accepted.contains(t)) {
                    continue;
                }
                Array[] narrow = retyped(e, e.inputs(), DType.FLOAT32, t);
                Array[] wide = new Array[narrow.length];
                for (int i = 0; i < narrow.length; i++) {
                    wide[i] = narrow[i].dtype() == t ? Conversions.convert(narrow[i].concrete(), DType.FLOAT32) : narrow[i];
                }
                Array[] expected = Interpreters.bind(e.primitive(), wide);
                Array[] got = Interpreters.bind(e.primitive(), narrow);
                for (int i = 0; i < got.length; i++) {
                    DenseArray want = expected[i].concrete();
                    DType wantType = want.dtype() == DType.FLOAT32 ? t : want.dtype();
                    assertEquals(wantType, got[i].dtype(), e + " in " + t + ": output " + i);
                    assertEquals(Arrays.toString(Conversions.convert(want, wantType).toDoubleArray()),
                            Arrays.toString(got[i].toDoubleArray()), e + " in " + t + ": output " + i);
                }
                checked++;
            }
        }
        assertTrue(checked > 100, "only " + checked + " float checks ran");
    }

    /** The registry's examples whose primary operand has dtype {@code t}. */
    private static List<Example> examples(DType t) throws Exception {
        List<Example> out = new ArrayList<>();
        for (Class<?> c : PrimitiveContractTest.primitiveClasses()) {
            List<Example> ex = Examples.of(c);
            if (ex == null) {
                continue;
            }
            for (Example e : ex) {
                Primitive p = e.primitive();
                if (p instanceof Iota || p instanceof ConvertElementType || e.inputs().length == 0
                        || !PrimitiveContractTest.ACCEPTS.containsKey(p.name())) {
                    continue;
                }
                int primary = p instanceof Select ? 1 : 0;
                if (e.inputs()[primary].dtype() == t) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Outputs that are positions (int32 whatever the operand's type). */
    private static boolean isIndexOutput(Example e, int output) {
        return e.primitive() instanceof ArgReduction || e.primitive() instanceof TopK && output == 1;
    }

    /** Whether int64/uint32 would keep bits that int32 lost (a result beyond 2^20 in magnitude, say 100^5). */
    private static boolean overflowsInt32(Example e, DType t, Array[] expected) {
        if (t != DType.INT64 && t != DType.UINT32) {
            return false;
        }
        for (Array a : expected) {
            if (a.dtype() == DType.INT32) {
                for (int v : a.toIntArray()) {
                    if (Math.abs((long) v) > (1 << 20)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The example's int32 data operands with every value v replaced by floorMod(v, 101). */
    private static Array[] reduced(Example e) {
        Array[] in = e.inputs().clone();
        for (int i : dataOperands(e, DType.INT32)) {
            int[] v = in[i].toIntArray();
            for (int k = 0; k < v.length; k++) {
                v[k] = Math.floorMod(v[k], 101);
            }
            in[i] = DenseArray.ofInts(v, in[i].shape());
        }
        return in;
    }

    private static Array[] retyped(Example e, Array[] in, DType from, DType to) {
        Array[] out = in.clone();
        for (int i : dataOperands(e, from)) {
            out[i] = Conversions.convert(in[i].concrete(), to);
        }
        return out;
    }

    /** The operands retyped: the data operands of dtype {@code from}. */
    private static List<Integer> dataOperands(Example e, DType from) {
        Set<Integer> only = DATA_OPERANDS.get(e.primitive().name());
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < e.inputs().length; i++) {
            if (e.inputs()[i].dtype() == from && (only == null || only.contains(i))) {
                out.add(i);
            }
        }
        return out;
    }
}
