package dev.solstice.prim;


/** x > y; bool output, zero derivative. */
public record Gt() implements Comparison {
    @Override
    public boolean test(double x, double y) {
        return x > y;
    }
}
