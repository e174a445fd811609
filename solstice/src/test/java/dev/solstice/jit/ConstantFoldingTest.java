package dev.solstice.jit;

import static dev.solstice.jit.ProgramBuilder.assertBitwiseEqual;
import static dev.solstice.jit.ProgramBuilder.eager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.EqxRuntimeError;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Const;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.jit.passes.ConstantFolding;
import dev.solstice.prim.Add;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.DotGeneral;
import dev.solstice.prim.ErrorIf;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Neg;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstantFoldingTest {
    private static final int[] NONE = {};

    /** exp(W . V) * x + W with W, V fixed: the product and exp fold into one constant; results equal eager. */
    @Test
    void foldsWhatDependsOnFixedInputsAloneAndMatchesEager() {
        ProgramBuilder b = new ProgramBuilder();
        Var w = b.input(DType.FLOAT64, 5, 5);
        Var v = b.input(DType.FLOAT64, 5, 5);
        Var x = b.input(DType.FLOAT64, 5, 5);
        Var e = b.apply(new Exp(), b.apply(new DotGeneral(new int[] {1}, new int[] {0}, NONE, NONE), w, v));
        Program p = b.build(b.apply(new Add(), b.apply(new Mul(), e, x), w));
        DenseArray[] args = {CompilerTest.doubles(1, 5, 5), CompilerTest.doubles(2, 5, 5), CompilerTest.doubles(3, 5, 5)};
        Program folded = ConstantFolding.run(p, new DenseArray[] {args[0], args[1]});
        assertEquals(2, folded.eqns().size(), folded.toString());
        assertInstanceOf(Const.class, folded.eqns().get(0).inputs()[0], folded.toString());
        Executable unfolded = Compiler.compile(p);
        Executable fixed = Compiler.compile(p, new DenseArray[] {args[0], args[1]});
        assertTrue(fixed.stepCount() < unfolded.stepCount(), fixed.describe() + "\n" + unfolded.describe());
        assertBitwiseEqual(eager(p, args)[0], fixed.run(args)[0], "folded");
        assertEquals(p, ConstantFolding.run(p, new DenseArray[0]), "nothing fixed: nothing folded");
    }

    /** A broadcast of a fixed scalar is kept where an unfolded equation reads it, on the folded operand. */
    @Test
    void keepsExpandingEquationsWhereUnfoldedOnesReadThem() {
        ProgramBuilder b = new ProgramBuilder();
        Var s = b.input(DType.FLOAT64);
        Var x = b.input(DType.FLOAT64, 100);
        Var bs = b.apply(new BroadcastInDim(new int[] {100}, NONE), b.apply(new Neg(), s));
        Program p = b.build(b.apply(new Mul(), bs, x));
        DenseArray[] args = {DenseArray.ofDoubles(new double[] {1.5}), CompilerTest.doubles(4, 100)};
        Program folded = ConstantFolding.run(p, new DenseArray[] {args[0]});
        assertEquals(2, folded.eqns().size(), folded.toString());
        assertInstanceOf(BroadcastInDim.class, folded.eqns().get(0).primitive(), folded.toString());
        assertEquals(-1.5, ((DenseArray) ((Const) folded.eqns().get(0).inputs()[0]).value()).getDouble(0));
        assertBitwiseEqual(eager(p, args)[0], Compiler.compile(p, new DenseArray[] {args[0]}).run(args)[0], "x");
    }

    /** Results over the size limit, and error checks, are computed when the program runs. */
    @Test
    void leavesLargeResultsAndErrorChecksToTheRun() {
        int big = (int) (ConstantFolding.MAX_FOLDED_BYTES / 8) + 1;
        ProgramBuilder b = new ProgramBuilder();
        Var a = b.input(DType.FLOAT64, big);
        Program large = b.build(b.apply(new Neg(), a));
        assertEquals(1, ConstantFolding.run(large, new DenseArray[] {DenseArray.full(a.aval(), 1)}).eqns().size());

        int part = (int) (ConstantFolding.MAX_TOTAL_BYTES / 8 / 4 - 1); // four fold, the fifth would pass the total
        ProgramBuilder chain = new ProgramBuilder();
        Var v = chain.input(DType.FLOAT64, part);
        Var last = v;
        for (int i = 0; i < 5; i++) {
            last = chain.apply(new Neg(), last);
        }
        Program folded = ConstantFolding.run(chain.build(last), new DenseArray[] {DenseArray.full(v.aval(), 2)});
        assertEquals(1, folded.eqns().size(), folded.toString());
        assertEquals(2.0, ((DenseArray) ((Const) folded.eqns().get(0).inputs()[0]).value()).getDouble(part - 1));

        ProgramBuilder c = new ProgramBuilder();
        Var y = c.input(DType.FLOAT64, 3);
        Var pred = c.input(DType.BOOL);
        Var index = c.input(DType.INT32);
        Program check = c.build(c.apply(new ErrorIf(List.of("boom")), y, pred, index));
        DenseArray[] args = {CompilerTest.doubles(5, 3), DenseArray.full(pred.aval(), 1), DenseArray.full(index.aval(), 0)};
        Executable e = Compiler.compile(check, args); // compiling does not throw: the check is the run's
        assertThrows(EqxRuntimeError.class, () -> e.run(args));
    }
}
