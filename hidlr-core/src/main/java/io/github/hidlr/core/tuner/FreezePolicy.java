package io.github.hidlr.core.tuner;

/**
 * Automatic freezing by parameter influence (ALGORITHM.md §7, from v1 of the Hi-DLR paper):
 * after {@code warmupSteps}, a group whose per-parameter influence
 * {@code PPI_k = b_k² / (a_k n_k)} stays below {@code threshold} (ψ) for {@code patience}
 * consecutive valid probes is frozen: learning rate 0 from then on, and the engine stops
 * computing its gradient. The group with the highest influence is never frozen, so at least
 * one group always trains.
 *
 * @param threshold ψ; {@code 0} disables freezing
 * @param warmupSteps no group is frozen before this step
 * @param patience consecutive low-influence probes needed, at least 1
 */
public record FreezePolicy(double threshold, long warmupSteps, int patience) {

  /** Validates the policy. */
  public FreezePolicy {
    if (!(threshold >= 0) || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException("freeze threshold ψ = " + threshold
          + " must be finite and ≥ 0 (0 disables freezing)");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException(
          "freeze warm-up " + warmupSteps + " steps must be ≥ 0");
    }
    if (patience < 1) {
      throw new IllegalArgumentException("freeze patience " + patience + " must be ≥ 1");
    }
  }

  /**
   * The policy that never freezes.
   *
   * @return a disabled policy
   */
  public static FreezePolicy disabled() {
    return new FreezePolicy(0, 0, 1);
  }

  /**
   * Whether this policy can freeze anything.
   *
   * @return {@code threshold > 0}
   */
  public boolean enabled() {
    return threshold > 0;
  }
}
