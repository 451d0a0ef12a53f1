package io.github.hidlr.djl.baseline;

/**
 * The options D-Adaptation and Prodigy share, both estimating the distance to the solution
 * {@code d} from the gradients seen: the initial estimate {@code d₀}, a bound on its growth per
 * step, Adam's bias correction and the kind of weight decay. One implementation of the setters,
 * their defaults (the reference implementations') and their checks.
 *
 * @param <B> the builder
 */
public interface DistanceOptions<B> {

  /** Default initial estimate {@code d₀}. */
  double DEFAULT_D0 = 1e-6;

  /** Default growth rate of {@code d}: unbounded. */
  double DEFAULT_GROWTH_RATE = Double.POSITIVE_INFINITY;

  /**
   * Returns the builder's distance options.
   *
   * @return its {@code d₀}, growth rate, bias correction and weight-decay kind
   */
  Distance distance();

  /**
   * Returns the builder itself, for chaining.
   *
   * @return this builder
   */
  B self();

  /**
   * Chooses decoupled (AdamW-style, {@code w ← w − λ·dlr·w}) or L2 weight decay
   * ({@code g ← g + λ·w}). Prodigy decouples by default, D-Adaptation does not.
   *
   * @param decoupled whether the weight decay is decoupled
   * @return this builder
   */
  default B optDecoupled(boolean decoupled) {
    distance().decoupled = decoupled;
    return self();
  }

  /**
   * Turns Adam's bias correction on. Defaults to off.
   *
   * @param biasCorrection whether to use it
   * @return this builder
   */
  default B optBiasCorrection(boolean biasCorrection) {
    distance().biasCorrection = biasCorrection;
    return self();
  }

  /**
   * Sets the initial estimate {@code d₀}. Defaults to 1e-6.
   *
   * @param d0 a finite value {@code > 0}
   * @return this builder
   */
  default B optD0(double d0) {
    distance().d0 = d0;
    return self();
  }

  /**
   * Bounds the growth of {@code d} per step by this factor. Defaults to {@code ∞}.
   *
   * @param growthRate a value {@code ≥ 1}, or {@link Double#POSITIVE_INFINITY}
   * @return this builder
   */
  default B optGrowthRate(double growthRate) {
    distance().growthRate = growthRate;
    return self();
  }

  /** The distance options of one builder. */
  final class Distance {
    boolean decoupled;
    boolean biasCorrection;
    double d0 = DEFAULT_D0;
    double growthRate = DEFAULT_GROWTH_RATE;

    Distance(boolean decoupledByDefault) {
      this.decoupled = decoupledByDefault;
    }

    /**
     * Whether the weight decay is decoupled.
     *
     * @return true for AdamW-style decay
     */
    public boolean decoupled() {
      return decoupled;
    }

    /**
     * Whether Adam's bias correction is on.
     *
     * @return true when on
     */
    public boolean biasCorrection() {
      return biasCorrection;
    }

    /**
     * Returns {@code d₀}.
     *
     * @return {@code d₀}
     */
    public double d0() {
      return d0;
    }

    /**
     * Returns the growth bound.
     *
     * @return the growth rate
     */
    public double growthRate() {
      return growthRate;
    }

    void validate() {
      WholeStepOptimizer.Builder.checkPositive("d0", d0, "pass e.g. optD0(1e-6)");
      WholeStepOptimizer.Builder.checkGrowthRate(growthRate);
    }
  }
}
