package dev.solstice;

/**
 * The result of {@link Linalg#qr}: {@code a = Q R} for each matrix {@code [..., m, n]}, with {@code k = min(m, n)}.
 *
 * {@snippet lang=java :
 * QrResult f = Linalg.qr(Array.of(new double[] {3, 1, 4, 2}, 2, 2));
 * f.q()                           // float64[2,2]
 * f.r().get(0).get(0).item()      // -5.0
 * }
 *
 * @param q {@code [..., m, k]} (reduced) or {@code [..., m, m]} (complete), orthonormal columns; null in mode
 *     {@code "r"}
 * @param r {@code [..., k, n]} (reduced) or {@code [..., m, n]} (complete), upper triangular
 */
public record QrResult(Array q, Array r) {}
