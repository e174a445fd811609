/**
 * Helpers of the training demo {@link dev.solstice.demo.Train}: {@link dev.solstice.demo.train.Lanczos}
 * (extreme eigenvalues of a symmetric operator from matrix-vector products, such as Hessian-vector products),
 * {@link dev.solstice.demo.train.LossPlot} (per-epoch curves drawn to a PNG with {@code java.awt}) and
 * {@link dev.solstice.demo.train.Progress} (a live bar on a terminal, one line per epoch in a log).
 */
package dev.solstice.demo.train;
