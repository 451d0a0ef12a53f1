/**
 * Hi-DLR on Deep Java Library with the PyTorch engine: {@link io.github.hidlr.djl.HiDlrStepper}
 * is the one class where a training step happens (base optimizer once at {@code η_ref},
 * capture {@code Δ}, probe by forward passes, rescale per group; ALGORITHM.md §6). Groups are
 * selected in {@code group}, optimizers that DJL's PyTorch engine lacks live in {@code optim},
 * LoRA in {@code lora}, the training loop and checkpoints in {@code train}.
 */
package io.github.hidlr.djl;
