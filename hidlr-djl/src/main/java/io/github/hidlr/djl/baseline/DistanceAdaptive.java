package io.github.hidlr.djl.baseline;

import io.github.hidlr.djl.optim.MomentOptions;
import java.util.List;

/**
 * What D-Adaptation and Prodigy share: Adam's moments driven by an estimate {@code d} of the
 * distance to the solution, grown from {@code d₀} at most by a growth factor per step, and
 * applied as the step size {@code d·lr·bc} with Adam's optional bias correction
 * {@code bc = √(1−β₂ᵏ⁺¹)/(1−β₁ᵏ⁺¹)}. The options are {@link MomentOptions} and
 * {@link DistanceOptions}; the estimate's update is each method's own.
 *
 * @param <S> the method's global scalars
 */
public abstract class DistanceAdaptive<S extends Record> extends WholeStepOptimizer<S> {

  /** {@code β₁}. */
  protected final double beta1;
  /** {@code β₂}. */
  protected final double beta2;
  /** {@code ε}. */
  protected final double epsilon;
  /** The weight decay {@code λ}. */
  protected final double weightDecay;
  /** Whether the weight decay is decoupled (AdamW-style). */
  protected final boolean decoupled;
  /** Whether Adam's bias correction is on. */
  protected final boolean biasCorrection;
  /** The initial estimate {@code d₀}. */
  protected final double d0;
  /** The bound on {@code d}'s growth per step. */
  protected final double growthRate;
  /** The current estimate {@code d}. */
  protected double d;
  /** The number of steps that moved the weights, {@code k}. */
  protected long k;

  /**
   * Creates the shared part from a validated builder.
   *
   * @param builder the builder
   * @param slotNames the per-parameter state arrays, in the order they are saved
   * @param moments the builder's moment options
   * @param distance the builder's distance options
   * @param weightDecay the resolved weight decay
   */
  protected DistanceAdaptive(WholeStepOptimizer.Builder<?, ?> builder, List<String> slotNames,
      MomentOptions.Moments moments, DistanceOptions.Distance distance, float weightDecay) {
    super(builder, slotNames);
    this.beta1 = moments.beta1();
    this.beta2 = moments.beta2();
    this.epsilon = moments.epsilon();
    this.weightDecay = weightDecay;
    this.decoupled = distance.decoupled();
    this.biasCorrection = distance.biasCorrection();
    this.d0 = distance.d0();
    this.growthRate = distance.growthRate();
    this.d = d0;
  }

  /**
   * Returns the current estimate {@code d}.
   *
   * @return {@code d}
   */
  public final double d() {
    return d;
  }

  /**
   * Adam's bias correction of step {@code k}, or 1 when it is off.
   *
   * @param step {@code k}
   * @return {@code √(1−β₂ᵏ⁺¹)/(1−β₁ᵏ⁺¹)}, or 1
   */
  protected final double biasCorrection(long step) {
    return biasCorrection
        ? Math.sqrt(1 - Math.pow(beta2, step + 1)) / (1 - Math.pow(beta1, step + 1))
        : 1;
  }

  /**
   * Returns {@code d·lr·bc}: the step size the next step applies ({@code lr} as scheduled).
   *
   * @return the effective learning rate
   */
  @Override
  public final double effectiveLearningRate() {
    return d * learningRate() * schedule().multiplier(stepIndex()) * biasCorrection(k);
  }
}
