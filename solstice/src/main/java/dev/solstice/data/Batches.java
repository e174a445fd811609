package dev.solstice.data;

import dev.solstice.Array;
import dev.solstice.Prng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shuffling, train/test splits and mini-batches of example indices, driven by {@link Prng} keys so that the
 * same key always gives the same order (as {@code jax.random.permutation}). The indices select examples with,
 * for instance, {@link Digits#subset(int[])}.
 *
 * {@snippet lang=java :
 * import dev.solstice.data.*;
 * Batches.Split s = Batches.split(Prng.key(0), 10, 0.2);
 * s.test().length                 // 2
 * Batches.epoch(Prng.key(1), s.train(), 3, false).size()   // 3
 * }
 */
public final class Batches {
    private Batches() {}

    /**
     * A split of {@code 0 .. n-1} into disjoint train and test index sets.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * Batches.Split s = Batches.split(Prng.key(0), 10, 0.3);
     * s                               // Split[train 7, test 3]
     * }
     *
     * @param train the training indices
     * @param test the held-out indices
     */
    public record Split(int[] train, int[] test) {
        /** Copies the arrays. */
        public Split {
            train = train.clone();
            test = test.clone();
        }

        /**
         * A copy of the training indices.
         *
         * {@snippet lang=java :
         * import dev.solstice.data.*;
         * Batches.split(Prng.key(0), 10, 0.2).train().length   // 8
         * }
         */
        @Override
        public int[] train() {
            return train.clone();
        }

        /**
         * A copy of the test indices.
         *
         * {@snippet lang=java :
         * import dev.solstice.data.*;
         * Batches.split(Prng.key(0), 4, 0.5).test().length   // 2
         * }
         */
        @Override
        public int[] test() {
            return test.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Split s && Arrays.equals(train, s.train) && Arrays.equals(test, s.test);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
        }

        @Override
        public String toString() {
            return "Split[train " + train.length + ", test " + test.length + "]";
        }
    }

    /**
     * A random permutation of {@code 0 .. n-1}: {@code Prng.permutation(key, n)} as Java ints.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * int[] order = Batches.shuffle(Prng.key(0), 5);
     * Arrays.stream(order).sorted().toArray()   // [0, 1, 2, 3, 4]
     * Batches.shuffle(Prng.key(0), -1)          // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public static int[] shuffle(Array key, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Batches.shuffle: n must be non-negative, got " + n);
        }
        return Prng.permutation(key, n).toIntArray();
    }

    /**
     * Splits {@code 0 .. n-1} at random: the examples are shuffled by {@code key} and the first
     * {@code round(n * testFraction)} of the shuffled order are the test set, the rest the training set (each
     * set in shuffled order).
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * Batches.Split s = Batches.split(Prng.key(0), 10, 0.2);
     * s.train().length + s.test().length   // 10
     * Batches.split(Prng.key(0), 10, 1.5)  // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException when {@code n} is negative or {@code testFraction} is outside {@code [0, 1]}
     */
    public static Split split(Array key, int n, double testFraction) {
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw new IllegalArgumentException("Batches.split: testFraction must be in [0, 1], got " + testFraction);
        }
        int[] order = shuffle(key, n);
        int nTest = (int) Math.round(n * testFraction);
        return new Split(Arrays.copyOfRange(order, nTest, n), Arrays.copyOfRange(order, 0, nTest));
    }

    /**
     * One epoch of mini-batches over {@code indices}: the indices shuffled by {@code key} and cut into
     * consecutive batches of {@code batchSize}. The last batch is shorter when {@code batchSize} does not
     * divide the count, unless {@code dropLast}, which leaves it out.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * int[] indices = {0, 1, 2, 3, 4};
     * Batches.epoch(Prng.key(1), indices, 2, false).size()   // 3
     * Batches.epoch(Prng.key(1), indices, 2, true).size()    // 2
     * }
     *
     * @param key the shuffling key (use a fresh one per epoch, e.g. {@code Prng.foldIn(key, epoch)})
     * @param indices the example indices to batch (e.g. a split's training set)
     * @param batchSize the batch size, positive
     * @param dropLast whether to leave out a final short batch
     * @throws IllegalArgumentException when {@code batchSize} is not positive
     */
    public static List<int[]> epoch(Array key, int[] indices, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("Batches.epoch: batchSize must be positive, got " + batchSize);
        }
        int[] perm = shuffle(key, indices.length);
        int[] order = new int[indices.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = indices[perm[i]];
        }
        return chunks(order, batchSize, dropLast);
    }

    /**
     * {@code indices} cut, in order, into consecutive batches of {@code batchSize} (no shuffling; for
     * evaluation). The last batch is shorter when {@code batchSize} does not divide the count, unless
     * {@code dropLast}.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * List<int[]> batches = Batches.chunks(new int[] {0, 1, 2, 3, 4}, 2, false);
     * batches.get(2)                  // [4]
     * Batches.chunks(new int[] {0, 1, 2, 3, 4}, 2, true).size()   // 2
     * }
     *
     * @throws IllegalArgumentException when {@code batchSize} is not positive
     */
    public static List<int[]> chunks(int[] indices, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("Batches.chunks: batchSize must be positive, got " + batchSize);
        }
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < indices.length; start += batchSize) {
            int end = Math.min(indices.length, start + batchSize);
            if (end - start < batchSize && dropLast) {
                break;
            }
            out.add(Arrays.copyOfRange(indices, start, end));
        }
        return out;
    }
}
