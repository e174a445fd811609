package dev.solstice.prim;


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
}
