/**
 * Helpers of the training demo {@link dev.solstice.demo.Train}: {@link dev.solstice.demo.train.Lanczos}
 * (extreme eigenvalues of a symmetric operator from matrix-vector products, such as Hessian-vector products)
 * and {@link dev.solstice.demo.train.LossPlot} (per-epoch curves drawn to a PNG with {@code java.awt}).
 */
package dev.solstice.demo.train;
