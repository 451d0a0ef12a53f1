/**
 * Training with Hi-DLR on DJL: a loop in the style of DJL's {@code EasyTrain.fit} that chooses
 * the probe batch, reports every step and probe to {@link io.github.hidlr.djl.train.HiDlrListener}s,
 * times automatic freezing, and saves and restores {@link io.github.hidlr.djl.train.Checkpoint}s
 * that resume bit for bit on CPU.
 */
package io.github.hidlr.djl.train;
