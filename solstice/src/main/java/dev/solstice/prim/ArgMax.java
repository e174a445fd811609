package dev.solstice.prim;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import java.util.List;
import java.util.Random;

/**
 * The int32 index of the first maximum along {@code axis} (a NaN counts as the maximum). Integer output, so
 * a zero derivative: its JVP gives a zero (symbolic) tangent rather than failing, so functions that use
 * it to pick elements stay differentiable.
 *
 * @param axis the axis searched (negative counts from the end)
 */
public record ArgMax(int axis) implements ArgReduction {
    @Override
    public String name() {
        return "argmax";
    }

    @Override
    public boolean max() {
        return true;
    }

    @Override
    public ArgReduction withAxis(int newAxis) {
        return new ArgMax(newAxis);
    }

    /** Example operands for the primitive contract test (the last with ties and NaNs). */
    public static List<Example> examples() {
        Random r = new Random(21);
        return List.of(new Example(new ArgMax(1), Example.random(r, DType.FLOAT64, Example.Domain.REAL, 2, 3)),
                new Example(new ArgMax(0), Example.random(r, DType.FLOAT32, Example.Domain.REAL, 4, 2)),
                new Example(new ArgMax(-1), Example.random(r, DType.INT32, Example.Domain.REAL, 3, 5)),
                new Example(new ArgMax(1), DenseArray.ofDoubles(new double[] {1, 3, 3, 0, Double.NaN, 2, Double.NaN, 5}, 2, 4)));
    }
}
