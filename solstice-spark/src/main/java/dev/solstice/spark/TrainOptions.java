package dev.solstice.spark;

import java.nio.file.Path;

/**
 * How {@link DataParallel#train} runs.
 *
 * @param epochs passes over the data, positive
 * @param batchSize examples per step over all partitions (each partition takes its share, in proportion to its
 *     size), positive
 * @param seed seeds each epoch's order of every partition's rows
 * @param checkpointEvery steps between checkpoints; 0 for none
 * @param checkpoint the checkpoint file (model, optimiser state and step, written atomically), or null
 */
public record TrainOptions(int epochs, int batchSize, long seed, int checkpointEvery, Path checkpoint) {
    /** Checks the numbers. */
    public TrainOptions {
        if (epochs <= 0 || batchSize <= 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("TrainOptions: epochs and batchSize must be positive and checkpointEvery"
                    + " non-negative, got epochs " + epochs + ", batchSize " + batchSize + ", checkpointEvery "
                    + checkpointEvery);
        }
        if (checkpointEvery > 0 && checkpoint == null) {
            throw new IllegalArgumentException("TrainOptions: checkpointEvery " + checkpointEvery + " needs a checkpoint file");
        }
    }

    /** {@code epochs} passes in batches of {@code batchSize}, no checkpoints. */
    public static TrainOptions of(int epochs, int batchSize, long seed) {
        return new TrainOptions(epochs, batchSize, seed, 0, null);
    }
}
