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
    void recurrentSetupChecksScanAndJitAgainstTheLoop() {
        RecurrentBench bench = new RecurrentBench();
        RecurrentBench.Fixture f = new RecurrentBench.Fixture();
        f.time = 3;
        f.setUp();
        assertEquals(3, bench.forwardScanJit(f).shape()[0]);
        assertEquals(bench.forwardLoopEager(f).toDoubleArray()[5], bench.forwardScanEager(f).toDoubleArray()[5], 1e-6);
        assertNotNull(bench.gradScanJit(f).weightHh());
    }

    @Test
    void fusionSetupChecksCompiledAgainstEagerAndALoop() {
        for (String f : new String[] {"tanh", "neg"}) {
            for (String mode : new String[] {"eager", "compiled"}) {
                FusionBench bench = new FusionBench();
                bench.n = 37;
                bench.f = f;
                bench.mode = mode;
                bench.setup();
                assertEquals(37, bench.run().aval().size(), f + " " + mode);
            }
        }
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
    void sortSetupChecksAgainstArraysSortAndEveryBodyRuns() {
        for (String op : new String[] {"jnp_sort", "jnp_argsort", "arrays_sort", "jnp_sort_f64", "jnp_cumsum"}) {
            SortBench bench = new SortBench();
            bench.n = 1000;
            bench.op = op;
            bench.setup();
            assertNotNull(bench.run(), op);
        }
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
                    String[] s = shape.split("[/,]");
                    int size = Integer.parseInt(s[0]) * Integer.parseInt(s[1]) * Integer.parseInt(s[3]);
                    assertEquals(size, bench.product().aval().size(), shape + " " + dtype);
                } finally {
                    bench.tearDown();
                }
            }
        }
    }

    @Test
    void trainingSetupChecksAgainstFloat64Backprop() {
        for (String size : new String[] {"tiny", "peer"}) {
            TrainingBench.Workloads w = new TrainingBench.Workloads();
            w.size = size;
            w.setup();
            TrainingBench bench = new TrainingBench();
            assertNotNull(bench.trainStep(w).params());
            assertEquals(w.dims.batch(), bench.perExampleGrads(w).W1().shape()[0]);
        }
    }

    @Test
    void theTrainingOracleIsTheDerivativeOfTheLoss() {
        // the backprop oracle against central differences of its own forward pass, float64, one example
        double[][] p = {TrainingBench.det(128 * 64, 1.0, 0.5, 0.1), TrainingBench.det(128, 1.0, 1.5, 0.01),
            TrainingBench.det(10 * 128, 1.0, 2.5, 0.1), TrainingBench.det(10, 1.0, 3.5, 0.01)};
        double[] x = TrainingBench.det(2 * 64, 0.7, 0.0, 1.0);
        int[] labels = {3, 7};
        TrainingBench.Backprop oracle = new TrainingBench.Backprop(TrainingBench.Dims.of("peer"));
        double[][] g = oracle.gradient(p, x, labels, 0, 2);
        int[][] probes = {{0, 5}, {0, 64 * 100 + 3}, {1, 17}, {2, 9 * 128 + 40}, {3, 7}, {3, 2}};
        for (int[] k : probes) {
            double h = 1e-6;
            double saved = p[k[0]][k[1]];
            p[k[0]][k[1]] = saved + h;
            double up = oracle.loss(p, x, labels, 0, 2);
            p[k[0]][k[1]] = saved - h;
            double down = oracle.loss(p, x, labels, 0, 2);
            p[k[0]][k[1]] = saved;
            assertEquals((up - down) / (2 * h), g[k[0]][k[1]], 1e-8, "parameter " + k[0] + " element " + k[1]);
        }
    }

    @Test
    void aWrongResultFailsTheSetup() {
        assertThrows(IllegalStateException.class,
                () -> SumSinWx.requireClose("a perturbed gradient", new double[] {1, 2.001}, new double[] {1, 2}));
    }
}
