package dev.solstice;

/**
 * The result of {@link Linalg#qr}: {@code a = Q R} for each matrix {@code [..., m, n]}, with {@code k = min(m, n)}.
 *
 * @param q {@code [..., m, k]} (reduced) or {@code [..., m, m]} (complete), orthonormal columns
 * @param r {@code [..., k, n]} (reduced) or {@code [..., m, n]} (complete), upper triangular
 */
public record QrResult(Array q, Array r) {}
