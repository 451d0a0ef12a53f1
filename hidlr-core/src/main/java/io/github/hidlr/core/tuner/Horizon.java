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
  },
  /**
   * Warm-up-stable-decay's cooldown: {@code s(t) = 1} for the first {@code (1 − c) T} steps,
   * then linear to 0 at {@code T}: {@code s(t) = min(1, (1 − t/T) / c)}, with
   * {@code c = }{@link #COOLDOWN_FRACTION}. A constant rate carries the run and the short decay
   * at the end removes the final iterate's noise, whose excess loss grows with the rate; a
   * cooldown of 10–20% of the run matches a cosine decay's final loss (Hägele et al., 2024,
   * "Scaling laws and compute-optimal training beyond fixed training durations"). Unlike
   * {@link #COSINE}, it leaves the rates of the first 80% of the run, when Hi-DLR is still
   * climbing from {@code η0}, untouched.
   */
  COOLDOWN {
    @Override
    public double scale(long step, long horizonSteps) {
      return Math.min(1.0, (1 - fraction(step, horizonSteps)) / COOLDOWN_FRACTION);
    }
  };

  /** The last fraction {@code c} of the horizon over which {@link #COOLDOWN} decays. */
  public static final double COOLDOWN_FRACTION = 0.2;

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
