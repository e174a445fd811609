package dev.solstice.jit;

import static dev.solstice.jit.ProgramBuilder.assertBitwiseEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Add;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Tanh;
import org.junit.jupiter.api.Test;

class CompilerTest {
    @Test
    void fusesAChainIntoOneKernel() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT32, 1000);
        Var a = b.input(DType.FLOAT32, 1000);
        Var c = b.input(DType.FLOAT32, 1000);
        Var y = b.apply(new Mul(), b.apply(new Tanh(), b.apply(new Add(), b.apply(new Mul(), a, x), c)), c);
        Program p = b.build(y);
        Executable e = Compiler.compile(p);
        assertEquals(1, e.kernelCount(), e.describe());
        DenseArray[] args = {random(1, 1000), random(2, 1000), random(3, 1000)};
        assertBitwiseEqual(ProgramBuilder.eager(p, args)[0], e.run(args)[0], "tanh(a*x+c)*c");
    }

    static DenseArray random(long seed, int n) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian());
        }
        return DenseArray.ofFloats(v, n);
    }
}
