package dev.solstice;

/**
 * The result of {@link Linalg#eigh}: {@code a = V diag(w) Vᵀ} for each symmetric matrix.
 *
 * @param eigenvalues {@code [..., n]}, ascending
 * @param eigenvectors {@code [..., n, n]}, orthonormal columns, column {@code i} for eigenvalue {@code i}
 */
public record EighResult(Array eigenvalues, Array eigenvectors) {}
