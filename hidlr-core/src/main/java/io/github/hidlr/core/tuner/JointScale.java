package io.github.hidlr.core.tuner;

/**
 * The two-sided joint scale (ALGORITHM.md §4b, an hidlr addition to the paper): after the
 * per-group update, two more forward passes measure the loss along the combined step
 * {@code D = Σ_k ê_k d_(k)} at {@code ±1}, and the line search's optimum
 * {@code α* = g / c} (with {@code g = (L⁻ − L⁺) / 2}, {@code c = L⁺ + L⁻ − 2 L0}) rescales
 * every estimate. See {@link TunerConfig.Builder#optJointScale}.
 */
public enum JointScale {
  /** No joint scale: the paper's {@code 2K + 1} forward passes. */
  OFF,
  /** Every estimate is multiplied by {@code clamp(α*, 1/ρ, ρ)} at once. */
  DIRECT,
  /**
   * {@code α* ê_k} is one more candidate for every group, clipped and smoothed like a
   * per-group candidate: {@code ê_k ← ê_k (γ + (1 − γ) clamp(α*, 1/ρ, ρ))}. The joint probe
   * sees the same mini-batch noise as the per-group fits, so it gets the same weight.
   */
  SMOOTHED,
  /**
   * The line search runs along the clipped candidates {@code D = Σ t_k d_(k)} before
   * smoothing, and each group moves toward the corrected candidate:
   * {@code ê_k ← γ ê_k + (1 − γ) clip(α* t_k)}. The smoothing's fixed point is then the
   * coupling-corrected candidate (a systematic overshoot of coupled groups is corrected in
   * full), while the joint probe's noise is averaged like the fits'. Needs the rate EMA.
   */
  CANDIDATE
}
