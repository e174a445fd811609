package dev.solstice.spark;

/**
 * What {@link DataParallel#train} returns.
 *
 * @param model the trained model
 * @param optState the optimiser state after the last step
 * @param steps the steps taken in all (counting those before a resumed checkpoint)
 * @param epochLoss the mean training loss of the steps of each epoch run here (0 for epochs skipped by a resume)
 * @param <T> the model type
 * @param <S> the optimiser state type
 */
public record TrainResult<T, S>(T model, S optState, int steps, double[] epochLoss) {}
