package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.vector.VectorKernels;
import dev.solstice.prim.Abs;
import dev.solstice.prim.Add;
import dev.solstice.prim.And;
import dev.solstice.prim.Ceil;
import dev.solstice.prim.Cos;
import dev.solstice.prim.Div;
import dev.solstice.prim.ElementwiseBinary;
import dev.solstice.prim.ElementwiseUnary;
import dev.solstice.prim.Eq;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Expm1;
import dev.solstice.prim.Floor;
import dev.solstice.prim.Ge;
import dev.solstice.prim.Gt;
import dev.solstice.prim.Le;
import dev.solstice.prim.Log;
import dev.solstice.prim.Log1p;
import dev.solstice.prim.Logistic;
import dev.solstice.prim.Lt;
import dev.solstice.prim.Max;
import dev.solstice.prim.Min;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Ne;
import dev.solstice.prim.Neg;
import dev.solstice.prim.Not;
import dev.solstice.prim.Or;
import dev.solstice.prim.Pow;
import dev.solstice.prim.Round;
import dev.solstice.prim.Rsqrt;
import dev.solstice.prim.Sign;
import dev.solstice.prim.Sin;
import dev.solstice.prim.Sqrt;
import dev.solstice.prim.Sub;
import dev.solstice.prim.Tan;
import dev.solstice.prim.Tanh;
import dev.solstice.prim.Xor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every elementwise primitive that names an operation code gets, through the code's loop, exactly what its own
 * scalar function gives element by element (the old per-element path), on every dtype it accepts; and the
 * Vector API loops still agree bit for bit with the plain ones once the JIT has compiled them.
 */
class PrimitiveOpCodesTest {
    static final List<ElementwiseUnary> UNARY = List.of(new Neg(), new Abs(), new Sign(), new Floor(), new Ceil(),
            new Round(), new Sqrt(), new Rsqrt(), new Exp(), new Expm1(), new Log(), new Log1p(), new Sin(), new Cos(),
            new Tan(), new Tanh(), new Logistic(), new Not());
    static final List<ElementwiseBinary> BINARY = List.of(new Add(), new Sub(), new Mul(), new Div(), new Max(),
            new Min(), new Pow(), new Eq(), new Ne(), new Lt(), new Le(), new Gt(), new Ge(), new And(), new Or(),
            new Xor());
    static final List<Kernels> BOTH = List.of(JavaKernels.INSTANCE, VectorKernels.INSTANCE);

    static DenseArray operand(DType t, int n, long seed) {
        double[] v = KernelSuiteTest.data(n, seed);
        return switch (t) {
            case FLOAT32, FLOAT64 -> KernelSuiteTest.array(t, v);
            case INT32 -> DenseArray.ofInts(KernelSuiteTest.ints(n, seed), n);
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = v[i] > 0;
                }
                yield DenseArray.ofBools(b, n);
            }
            default -> throw new IllegalArgumentException("the kernels' own dtypes only (KernelDTypes), not " + t);
        };
    }

    static void assertSameElements(DenseArray want, DenseArray got, String what) {
        assertEquals(want.aval(), got.aval(), what);
        for (int i = 0; i < want.aval().size(); i++) {
            KernelSuiteTest.assertBits(want.getDouble(i), got.getDouble(i), what + " at " + i);
        }
    }

    @Test
    void unaryCodesEqualThePrimitivesScalarFunctions() {
        for (ElementwiseUnary p : UNARY) {
            for (DType t : KernelDTypes.ALL) {
                if (!p.accepts(t)) {
                    continue;
                }
                DenseArray x = operand(t, 37, 2);
                DType out = p.outType(t);
                DenseArray want = JavaKernels.INSTANCE.map(x, out, p::apply, t == DType.BOOL ? v -> v == 0 ? 1 : 0 : p::applyInt);
                for (Kernels k : BOTH) {
                    assertSameElements(want, k.map(x, out, p.kernelOp(), p::apply, p::applyInt), k + " " + p.name() + " " + t);
                }
            }
        }
    }

    @Test
    void binaryCodesEqualThePrimitivesScalarFunctions() {
        for (ElementwiseBinary p : BINARY) {
            for (DType t : KernelDTypes.ALL) {
                if (!p.accepts(t)) {
                    continue;
                }
                DenseArray x = operand(t, 37, 2);
                DenseArray y = operand(t, 37, 5);
                DType out = p.outType(t);
                DenseArray want = JavaKernels.INSTANCE.zip(x, y, out, p::apply, p::applyInt);
                for (Kernels k : BOTH) {
                    assertSameElements(want, k.zip(x, y, out, p.kernelOp(), p::apply, p::applyInt), k + " " + p.name() + " " + t);
                }
            }
        }
    }

    @Test
    void vectorLoopsAgreeWithPlainLoopsOnceCompiled() {
        int n = 1003;
        DenseArray x = operand(DType.FLOAT32, n, 4);
        DenseArray y = operand(DType.FLOAT32, n, 6);
        DenseArray xd = operand(DType.FLOAT64, n, 4);
        DenseArray yd = operand(DType.FLOAT64, n, 6);
        BinaryOp[] ops = {BinaryOp.MAX, BinaryOp.MIN, BinaryOp.DIV, BinaryOp.LT, BinaryOp.NE};
        Kernels v = VectorKernels.INSTANCE;
        Kernels j = JavaKernels.INSTANCE;
        dev.solstice.core.Aval scalar32 = new dev.solstice.core.Aval(DType.FLOAT32);
        dev.solstice.core.Aval scalar64 = new dev.solstice.core.Aval(DType.FLOAT64);
        // enough calls for C2 to compile the vector loops (no timing is asserted)
        for (int rep = 0; rep < 3000; rep++) {
            BinaryOp op = ops[rep % ops.length];
            DType out = op.isComparison() ? DType.BOOL : DType.FLOAT32;
            if (rep % 100 == 0 || rep >= 2990) {
                assertSameElements(j.zip(x, y, out, op, null, null), v.zip(x, y, out, op, null, null), "compiled " + op + " float32");
                DType outD = op.isComparison() ? DType.BOOL : DType.FLOAT64;
                assertSameElements(j.zip(xd, yd, outD, op, null, null), v.zip(xd, yd, outD, op, null, null), "compiled " + op + " float64");
                for (Kernels.Reduction kind : Kernels.Reduction.values()) {
                    assertArrayEquals(j.reduceTrailing(x, n, kind, scalar32).toDoubleArray(),
                            v.reduceTrailing(x, n, kind, scalar32).toDoubleArray(), "compiled " + kind + " float32");
                    assertArrayEquals(j.reduceTrailing(xd, n, kind, scalar64).toDoubleArray(),
                            v.reduceTrailing(xd, n, kind, scalar64).toDoubleArray(), "compiled " + kind + " float64");
                }
            } else {
                v.zip(x, y, out, op, null, null);
                v.zip(xd, yd, op.isComparison() ? DType.BOOL : DType.FLOAT64, op, null, null);
                for (Kernels.Reduction kind : Kernels.Reduction.values()) {
                    v.reduceTrailing(x, n, kind, scalar32);
                    v.reduceTrailing(xd, n, kind, scalar64);
                }
            }
        }
    }
}
