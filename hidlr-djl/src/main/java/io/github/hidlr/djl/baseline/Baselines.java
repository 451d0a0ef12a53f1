package io.github.hidlr.djl.baseline;

/**
 * Entry points to the learning-rate-free baselines, in DJL's style ({@code
 * Baselines.prodigy().setBlock(model.getBlock()).build()}); each builder starts from its method's
 * reference defaults.
 */
public final class Baselines {

  private Baselines() {}

  /**
   * Prodigy (lr 1, β (0.9, 0.999), β₃ = √β₂, ε 1e-8, d₀ 1e-6, decoupled weight decay).
   *
   * @return a new {@link Prodigy} builder
   */
  public static Prodigy.Builder prodigy() {
    return Prodigy.builder();
  }

  /**
   * D-Adaptation Adam (lr 1, β (0.9, 0.999), ε 1e-8, d₀ 1e-6).
   *
   * @return a new {@link DAdaptAdam} builder
   */
  public static DAdaptAdam.Builder dAdaptAdam() {
    return DAdaptAdam.builder();
  }

  /**
   * DoG (reps_rel 1e-6, polynomial-decay averaging with γ = 8).
   *
   * @return a new {@link DoG} builder
   */
  public static DoG.Builder dog() {
    return DoG.builder();
  }

  /**
   * Schedule-Free AdamW (lr 0.0025, β (0.9, 0.999), weight_lr_power 2).
   *
   * @return a new {@link ScheduleFreeAdamW} builder
   */
  public static ScheduleFreeAdamW.Builder scheduleFreeAdamW() {
    return ScheduleFreeAdamW.builder();
  }

}
