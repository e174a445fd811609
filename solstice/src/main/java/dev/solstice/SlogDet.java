package dev.solstice;

/**
 * The result of {@link Linalg#slogdet}: the determinant as a sign and the logarithm of its magnitude,
 * {@code det = sign * exp(logAbsDet)}, each with the matrices' leading (batch) axes.
 *
 * {@snippet lang=java :
 * SlogDet d = Linalg.slogdet(Array.of(new double[] {1, 2, 3, 4}, 2, 2));   // det = -2
 * d.sign()                        // -1.0
 * d.logAbsDet()                   // 0.6931471805599453
 * }
 *
 * @param sign -1, 0 or 1 in the matrices' dtype (0 for a singular matrix); it has a zero derivative
 * @param logAbsDet {@code log|det|} ({@code -inf} for a singular matrix)
 */
public record SlogDet(Array sign, Array logAbsDet) {}
