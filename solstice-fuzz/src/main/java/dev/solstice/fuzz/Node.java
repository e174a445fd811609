package dev.solstice.fuzz;

/**
 * One step of a fuzzed program: a {@link Kind} applied to earlier values ({@code 0} is the input, {@code i + 1}
 * the result of step {@code i}) with static integer parameters, and the shape it produces.
 */
record Node(Kind kind, int[] args, int[][] params, int[] shape) {}
