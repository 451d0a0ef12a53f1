package io.github.hidlr.djl.optim;

/**
 * The options of Adam's two moments, {@code β₁}, {@code β₂} and {@code ε}, for the builder of
 * every Adam-like method (Adam and AdamW here; Prodigy, D-Adaptation and Schedule-Free AdamW
 * among the baselines): one implementation of the setters, their defaults (the reference
 * implementations' 0.9, 0.999 and 1e-8) and their checks.
 *
 * @param <B> the builder
 */
public interface MomentOptions<B> {

  /**
   * Returns the builder's moment options.
   *
   * @return its {@code β₁}, {@code β₂}, {@code ε}
   */
  Moments moments();

  /**
   * Returns the builder itself, for chaining.
   *
   * @return this builder
   */
  B self();

  /**
   * Sets {@code β₁}, the decay of the first moment. Defaults to 0.9.
   *
   * @param beta1 a value in {@code [0, 1)}
   * @return this builder
   */
  default B optBeta1(float beta1) {
    moments().beta1 = beta1;
    return self();
  }

  /**
   * Sets {@code β₂}, the decay of the second moment. Defaults to 0.999.
   *
   * @param beta2 a value in {@code [0, 1)}
   * @return this builder
   */
  default B optBeta2(float beta2) {
    moments().beta2 = beta2;
    return self();
  }

  /**
   * Sets {@code ε}, added to the denominator. Defaults to 1e-8.
   *
   * @param epsilon a finite value {@code > 0}
   * @return this builder
   */
  default B optEpsilon(float epsilon) {
    moments().epsilon = epsilon;
    return self();
  }

  /** The moment options of one builder. */
  final class Moments {
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float epsilon = 1e-8f;

    /**
     * Returns {@code β₁}.
     *
     * @return {@code β₁}
     */
    public float beta1() {
      return beta1;
    }

    /**
     * Returns {@code β₂}.
     *
     * @return {@code β₂}
     */
    public float beta2() {
      return beta2;
    }

    /**
     * Returns {@code ε}.
     *
     * @return {@code ε}
     */
    public float epsilon() {
      return epsilon;
    }

    /**
     * Checks {@code β₁, β₂ ∈ [0, 1)} and {@code ε} finite and {@code > 0}.
     *
     * @throws IllegalArgumentException naming the bad value and the fix
     */
    public void validate() {
      NdOptimizer.Builder.checkUnitInterval("beta1", beta1, "pass e.g. optBeta1(0.9f)");
      NdOptimizer.Builder.checkUnitInterval("beta2", beta2, "pass e.g. optBeta2(0.999f)");
      NdOptimizer.Builder.checkEpsilon(epsilon, "pass e.g. optEpsilon(1e-8f)");
    }
  }
}
