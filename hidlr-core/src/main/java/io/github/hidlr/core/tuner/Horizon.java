package io.github.hidlr.core.tuner;

/**
 * The horizon scale {@code s(t)} of ALGORITHM.md §4 over a horizon of {@code T} steps, as in
 * GeN's README: the applied rate is {@code η_k(t) = s(t) σ ê_k}. Past {@code T}, {@code t} is
 * taken as {@code T}.
 */
public enum Horizon {
  /** {@code s(t) = 1}. */
  CONSTANT {
    @Override
    public double scale(long step, long horizonSteps) {
      return 1;
    }
  },
  /** {@code s(t) = 1 − t/T}. */
  LINEAR {
    @Override
    public double scale(long step, long horizonSteps) {
      return 1 - fraction(step, horizonSteps);
    }
  },
  /** {@code s(t) = (1 + cos(π t/T)) / 2}. */
  COSINE {
    @Override
    public double scale(long step, long horizonSteps) {
      return 0.5 * (1 + Math.cos(Math.PI * fraction(step, horizonSteps)));
    }
  };

  /**
   * The scale at step {@code t}.
   *
   * @param step {@code t ≥ 0}
   * @param horizonSteps {@code T ≥ 1} (ignored by {@link #CONSTANT})
   * @return {@code s(t)} in {@code [0, 1]}
   */
  public abstract double scale(long step, long horizonSteps);

  private static double fraction(long step, long horizonSteps) {
    return Math.min(1.0, (double) step / horizonSteps);
  }
}
