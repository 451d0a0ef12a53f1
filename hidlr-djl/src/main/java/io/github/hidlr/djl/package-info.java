/**
 * Hi-DLR on Deep Java Library with the PyTorch engine. Start with {@link io.github.hidlr.djl.HiDlr}:
 * it builds a {@link io.github.hidlr.djl.HiDlrOptimizer}, an ordinary DJL optimizer that
 * {@code trainer.step()} and {@code EasyTrain.fit} use unchanged; it runs the base optimizer
 * once per step and captures its direction, and the package-private {@code GroupedStep} probes
 * by forward passes and moves each group by its own rate (ALGORITHM.md §6). Groups are selected in
 * {@code group}, optimizers that DJL's PyTorch engine lacks live in {@code optim},
 * learning-rate-free baselines in {@code baseline}, LoRA in {@code lora}, the training loop
 * and checkpoints in {@code train}.
 */
package io.github.hidlr.djl;
