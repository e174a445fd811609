package dev.solstice.prim;


/** x != y (true when either is NaN); bool output, zero derivative. */
public record Ne() implements Comparison {
    @Override
    public boolean test(double x, double y) {
        return x != y;
    }
}
