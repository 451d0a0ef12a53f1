/**
 * Hi-DLR on Deep Java Library with the PyTorch engine. Start with {@link io.github.hidlr.djl.HiDlr}:
 * it builds a {@link io.github.hidlr.djl.HiDlrOptimizer}, an ordinary DJL optimizer that
 * {@code trainer.step()} and {@code EasyTrain.fit} use unchanged.
 * {@link io.github.hidlr.djl.HiDlrStepper} is the one class where a training step happens (base
 * optimizer once at {@code η_ref}, capture {@code Δ}, probe by forward passes, rescale per
 * group; ALGORITHM.md §6), driven by that optimizer or, in loops that want the control, in
 * place of {@code trainer.step()}. Groups are selected in {@code group}, optimizers that DJL's
 * PyTorch engine lacks live in {@code optim}, learning-rate-free baselines in
 * {@code baseline}, LoRA in {@code lora}, the training loop and checkpoints in {@code train}.
 */
package io.github.hidlr.djl;
