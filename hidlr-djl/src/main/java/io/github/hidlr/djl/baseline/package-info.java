/**
 * The learning-rate-free baselines Hi-DLR is compared with, on DJL's PyTorch engine: {@link
 * io.github.hidlr.djl.baseline.Prodigy}, {@link io.github.hidlr.djl.baseline.DAdaptAdam}, {@link
 * io.github.hidlr.djl.baseline.DoG} (with iterate averaging) and {@link
 * io.github.hidlr.djl.baseline.ScheduleFreeAdamW} (with its train/eval switch), each following its
 * reference implementation with its reference defaults and reporting its step size through {@link
 * io.github.hidlr.djl.baseline.EffectiveRate}; and the hand-set alternatives: {@link
 * io.github.hidlr.djl.baseline.LearningRateSchedule} (constant, linear, cosine, with warm-up, the
 * same shapes as Hi-DLR's horizon) and {@link io.github.hidlr.djl.baseline.LoRAPlus}, applied to
 * hidlr's linear optimizers by {@link io.github.hidlr.djl.baseline.ScaledRateOptimizer}.
 *
 * <p>The four methods need every gradient of a step before they move any weight (global sums,
 * global norms, refusing a NaN step whole), which DJL's per-parameter {@code update} calls do not
 * provide: {@link io.github.hidlr.djl.baseline.WholeStepOptimizer} assembles the step from the
 * model's block. Entry points: {@link io.github.hidlr.djl.baseline.Baselines}.
 */
package io.github.hidlr.djl.baseline;
