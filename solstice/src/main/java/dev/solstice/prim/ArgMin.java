package dev.solstice.prim;


/**
 * The int32 index of the first minimum along {@code axis} (a NaN counts as the minimum). Integer output, so
 * a zero derivative: its JVP gives a zero (symbolic) tangent rather than failing, so functions that use
 * it to pick elements stay differentiable.
 *
 * @param axis the axis searched (negative counts from the end)
 */
public record ArgMin(int axis) implements ArgReduction {
    @Override
    public String name() {
        return "argmin";
    }

    @Override
    public boolean max() {
        return false;
    }

    @Override
    public ArgReduction withAxis(int newAxis) {
        return new ArgMin(newAxis);
    }
}
