/**
 * The learning-rate-free baselines Hi-DLR is compared with, on DJL's PyTorch engine: {@link
 * io.github.hidlr.djl.baseline.Prodigy}, {@link io.github.hidlr.djl.baseline.DAdaptAdam}, {@link
 * io.github.hidlr.djl.baseline.DoG} (with iterate averaging) and {@link
 * io.github.hidlr.djl.baseline.ScheduleFreeAdamW} (with its train/eval switch), each following its
 * reference implementation with its reference defaults and reporting its step size through {@link
 * io.github.hidlr.djl.baseline.EffectiveRate}, with an optional {@link
 * io.github.hidlr.djl.baseline.LearningRateSchedule} (constant, linear, cosine, with warm-up, the
 * same shapes as Hi-DLR's horizon). Hand-set rates for hidlr's linear optimizers (LoRA+, a manual
 * DLR, a schedule) are not here: {@code HiDlr}'s optimizer runs them as fixed rates that are
 * never probed ({@code HiDlr.Builder.fixedRates}, {@code TunerConfig.fixed()}).
 *
 * <p>The four methods need every gradient of a step before they move any weight (global sums,
 * global norms), which DJL's per-parameter {@code update} calls do not provide: they require the
 * model's block, from which {@link io.github.hidlr.djl.optim.NdOptimizer}, the base of every
 * hidlr optimizer, assembles the step (refusing a non-finite gradient before anything changes);
 * {@link io.github.hidlr.djl.baseline.WholeStepOptimizer} adds their schedule, effective rate and
 * typed scalars. Entry points: {@link io.github.hidlr.djl.baseline.Baselines}.
 */
package io.github.hidlr.djl.baseline;
