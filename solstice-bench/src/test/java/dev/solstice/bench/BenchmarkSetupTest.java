package dev.solstice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.solstice.Array;
import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark's setup (which checks Solstice's results against closed forms and loops) and each body
 * once, at small sizes, so that the suite notices a benchmark that no longer computes the right thing. No
 * timing is measured.
 */
class BenchmarkSetupTest {
    @Test
    void dispatchBodiesRunForEveryPrimitive() {
        DispatchBench bench = new DispatchBench();
        DispatchBench.Operands o = new DispatchBench.Operands();
        for (String name : new String[] {"add", "mul", "sin", "exp", "tanh", "reduce_sum", "dot_general"}) {
            DispatchBench.Op op = new DispatchBench.Op();
            op.op = name;
            op.setup(o);
            assertNotNull(bench.javaLoop(op, o));
            Array eager = bench.eager(op, o);
            // the eager result equals the plain Java result of the same operation
            assertEquals(((double[]) bench.javaLoop(op, o))[0], eager.toDoubleArray()[0], 1e-15, name);
            assertNotNull(bench.jvp(op, o).tangent());
            assertNotNull(bench.jvpOfJvp(op, o).tangent());
        }
        assertNotNull(bench.jvpEntry(o));
    }

    @Test
    void derivativeSetupChecksAgainstClosedForms() {
        DerivativesBench bench = new DerivativesBench();
        bench.n = 32;
        bench.setup();
        assertEquals(32, bench.hessian().shape()[0]);
        assertEquals(bench.hvpClosedForm()[3], bench.hvp().toDoubleArray()[3], 1e-14);
    }

    @Test
    void batchingSetupsCheckBatchedAgainstLoops() {
        BatchingBench.HessianState h = new BatchingBench.HessianState();
        h.n = 16;
        h.setup();
        BatchingBench bench = new BatchingBench();
        assertEquals(16, bench.hessianBatched(h).shape()[1]);
        new BatchingBench.PerExampleState().setup();
    }

    @Test
    void layerSetupsBuildAndTheBodiesRun() {
        LayersBench.ConvState c = new LayersBench.ConvState();
        c.channels = 2;
        c.setup();
        LayersBench bench = new LayersBench();
        assertEquals(4, bench.convForward(c).shape().length);
        assertNotNull(bench.convForwardBackward(c));
        LayersBench.AttentionState a = new LayersBench.AttentionState();
        a.setup();
        assertEquals(64, bench.attentionForward(a).shape()[0]);
    }

    @Test
    void smallGemmSetupsCheckEveryShapeAgainstALoop() throws NoSuchFieldException {
        String[] shapes = GemmSmallBench.class.getField("shape").getAnnotation(org.openjdk.jmh.annotations.Param.class)
                .value();
        for (String shape : shapes) {
            for (String dtype : new String[] {"f32", "f64"}) {
                GemmSmallBench bench = new GemmSmallBench();
                bench.shape = shape;
                bench.dtype = dtype;
                bench.setUp();
                try {
                    String[] s = shape.split(",");
                    int size = Integer.parseInt(s[0]) * Integer.parseInt(s[1]) * Integer.parseInt(s[3]);
                    assertEquals(size, bench.product().aval().size(), shape + " " + dtype);
                } finally {
                    bench.tearDown();
                }
            }
        }
    }

    @Test
    void aWrongResultFailsTheSetup() {
        assertThrows(IllegalStateException.class,
                () -> SumSinWx.requireClose("a perturbed gradient", new double[] {1, 2.001}, new double[] {1, 2}));
    }
}
