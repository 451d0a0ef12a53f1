/**
 * Optimizers for DJL's PyTorch engine written with {@code NDArray} operations: {@link
 * io.github.hidlr.djl.optim.Sgd} (PyTorch momentum), {@link io.github.hidlr.djl.optim.RmsProp},
 * {@link io.github.hidlr.djl.optim.Adagrad} and {@link io.github.hidlr.djl.optim.Adam} (also
 * AdamW), made through {@link io.github.hidlr.djl.optim.Optimizers}.
 *
 * <p>They exist because DJL's PyTorch engine lacks RMSProp, Adagrad and Nesterov, its SGD keeps the
 * learning rate inside the momentum buffer, and its Adam keeps its moments private. Here every
 * update is {@code w ← w − η·d} with the direction {@code d} computed without {@code η} ({@link
 * io.github.hidlr.djl.optim.NdOptimizer}), so {@code Δ} is linear in {@code η} as Hi-DLR requires,
 * and the per-parameter state can be saved and loaded by parameter name. {@code NdOptimizer} is
 * also the base of the baselines: one state format, one policy for a non-finite gradient.
 */
package io.github.hidlr.djl.optim;
