package dev.solstice.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Optim;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three models with different initial keys trained as one stacked ensemble (vmap over the members inside each
 * partition) end where each trained alone ends (float64, 1e-10), and their metrics come back per member.
 */
class EnsembleTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = LocalSpark.context("local[2]", "EnsembleTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void aStackedEnsembleTrainsEachMemberAsIfAlone() {
        List<Example> examples = DataParallelTest.synthetic(90, 21);
        List<MLP> members = List.of(DataParallelTest.model(31), DataParallelTest.model(32), DataParallelTest.model(33));
        MLP stacked = Ensemble.stack(members);
        PerExampleLoss<MLP> loss = DataParallelTest.loss();
        DataParallel<MLP> dp = DataParallel.create(sc, stacked, Ensemble.factory(() -> DataParallelTest.model(0), 3),
                Ensemble.summedLoss(loss));
        DataParallel.PreparedData data = dp.prepare(sc.parallelize(examples, 3), 5);
        TrainOptions o = TrainOptions.of(1, 30, 4);
        MLP trained = dp.train(stacked, Optim.adam(1e-2), data, o, null).model();
        PerExampleLoss<MLP> correct = (m, x, y) -> Jnp.equal(Jnp.argmax(m.apply(x)),
                Jnp.reshape(y, new int[0]).astype(DType.INT32)).astype(DType.FLOAT64);
        double[] accuracy = Ensemble.evaluateEach(dp, trained, data, correct);
        assertEquals(3, accuracy.length);
        for (int k = 0; k < 3; k++) {
            DataParallel<MLP> alone = DataParallel.create(sc, members.get(k), () -> DataParallelTest.model(0), loss);
            DataParallel.PreparedData d = alone.prepare(sc.parallelize(examples, 3), 5);
            MLP single = alone.train(members.get(k), Optim.adam(1e-2), d, o, null).model();
            double diff = DataParallelTest.maxAbsDiff(ModelSpec.flatten(single), ModelSpec.flatten(Ensemble.member(trained, k)));
            assertTrue(diff <= 1e-10, "member " + k + ": max |stacked - alone| = " + diff);
            assertEquals(alone.evaluate(single, d, correct), accuracy[k], 1e-12, "member " + k + "'s accuracy");
            d.release();
        }
        data.release();
    }
}
