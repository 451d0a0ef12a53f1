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
  SMOOTHED
}
