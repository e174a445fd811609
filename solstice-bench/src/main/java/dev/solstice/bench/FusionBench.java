package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.jit.Compiler;
import dev.solstice.jit.Executable;
import dev.solstice.prim.Add;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Neg;
import dev.solstice.prim.Tanh;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The staged program {@code f(a*x + b) * c} over {@code n} float32 elements, in microseconds per call, with
 * {@code f} tanh (the transcendental dominates) or neg (memory-bound): {@code eager} evaluates it equation by
 * equation ({@code Program.evaluate}: four kernels, four allocated arrays), {@code compiled} runs it through
 * {@code jit.Compiler} (one generated kernel, one pass, one output array).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class FusionBench {
    /** Elements per operand. */
    @Param({"1024", "1048576"})
    public int n;

    /** The function in the middle of the chain: tanh or neg. */
    @Param({"tanh", "neg"})
    public String f;

    /** How the program runs: eager or compiled. */
    @Param({"eager", "compiled"})
    public String mode;

    Program program;
    Executable executable;
    DenseArray[] args;

    /** Creates the benchmark (JMH instantiates it). */
    public FusionBench() {}

    /** Stages the program, compiles it and checks both ways against a float64 loop and each other. */
    @Setup
    public void setup() {
        Aval aval = new Aval(DType.FLOAT32, n);
        Var x = new Var(aval, 0);
        Var a = new Var(aval, 1);
        Var b = new Var(aval, 2);
        Var c = new Var(aval, 3);
        Var ax = new Var(aval, 4);
        Var axb = new Var(aval, 5);
        Var t = new Var(aval, 6);
        Var y = new Var(aval, 7);
        program = new Program(List.of(x, a, b, c), List.of(
                new Eqn(new Mul(), new Var[] {a, x}, new Var[] {ax}),
                new Eqn(new Add(), new Var[] {ax, b}, new Var[] {axb}),
                new Eqn(f.equals("tanh") ? new Tanh() : new Neg(), new Var[] {axb}, new Var[] {t}),
                new Eqn(new Mul(), new Var[] {t, c}, new Var[] {y})), List.of(y));
        executable = Compiler.compile(program);
        args = new DenseArray[] {random(1), random(2), random(3), random(4)};
        check();
    }

    private void check() {
        float[] eager = ((DenseArray) program.evaluate(args)[0]).floats();
        float[] compiled = executable.run(args)[0].floats();
        for (int i = 0; i < n; i++) {
            double axb = (double) args[1].floats()[i] * args[0].floats()[i] + args[2].floats()[i];
            double want = (f.equals("tanh") ? Math.tanh(axb) : -axb) * args[3].floats()[i];
            if (Float.floatToIntBits(eager[i]) != Float.floatToIntBits(compiled[i])
                    || Math.abs(compiled[i] - want) > 1e-5 * (1 + Math.abs(want))) {
                throw new IllegalStateException("FusionBench: element " + i + " compiled " + compiled[i] + ", eager "
                        + eager[i] + ", float64 loop " + want);
            }
        }
    }

    private DenseArray random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return DenseArray.ofFloats(v, n);
    }

    /**
     * One call of the program.
     *
     * @return its output
     */
    @Benchmark
    public Array run() {
        return mode.equals("eager") ? program.evaluate(args)[0] : executable.run(args)[0];
    }
}
