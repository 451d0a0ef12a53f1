package io.github.hidlr.djl.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Adagrad in PyTorch's form ({@code torch.optim.Adagrad}, without its learning-rate decay); DJL's
 * {@code Adagrad} supports only sparse gradients on the PyTorch engine.
 *
 * <pre>
 *   g ← g + λ·w                                 (weight decay λ, L2)
 *   s ← s + g²                                  (s₀ = initial accumulator value, default 0)
 *   w ← w − η·g/(√s + ε)
 * </pre>
 *
 * <p>PyTorch's {@code lr_decay} is left out on purpose: it divides by {@code 1 + (t−1)·decay},
 * which would be fine, but Hi-DLR chooses the learning rate itself, so a schedule here would fight
 * it.
 *
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html">
 *     torch.optim.Adagrad</a>
 * @see <a href="https://jmlr.org/papers/v12/duchi11a.html">Duchi, Hazan and Singer 2011, Adaptive
 *     Subgradient Methods for Online Learning and Stochastic Optimization</a>
 */
public final class Adagrad extends NdOptimizer {

  /** Default ε (PyTorch's). */
  public static final float DEFAULT_EPSILON = 1e-10f;

  /** Default initial value of the accumulator s (PyTorch's). */
  public static final float DEFAULT_INITIAL_ACCUMULATOR_VALUE = 0f;

  /** Default weight decay λ: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Name of the accumulator slot (PyTorch's name). */
  public static final String SUM = "sum";

  private final float epsilon;
  private final float initialAccumulatorValue;
  private final float weightDecay;

  private Adagrad(Builder builder) {
    super(builder, List.of(SUM));
    this.epsilon = builder.epsilon;
    this.initialAccumulatorValue = builder.initialAccumulatorValue;
    this.weightDecay = builder.weightDecayOr(DEFAULT_WEIGHT_DECAY);
  }

  /**
   * Returns a builder; {@link Builder#setLearningRate(float)} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  protected NDArray direction(String parameterId, NDArray weight, NDArray grad, long step) {
    NDArray g = addWeightDecay(grad, weight, weightDecay);
    NDArray sum = nextState(SUM, parameterId, weight,
        k -> weight.onesLike().muli(initialAccumulatorValue), old -> old.add(g.square()));
    return g.divi(sum.sqrt().addi(epsilon));
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "Adagrad{" + commonConfig() + ", epsilon=" + epsilon + ", initialAccumulatorValue="
        + initialAccumulatorValue + ", weightDecay=" + weightDecay + "}";
  }

  /** Builds an {@link Adagrad}; {@code setLearningRate} is required, the rest optional. */
  public static final class Builder extends NdOptimizer.Builder<Builder, Adagrad> {

    private float epsilon = DEFAULT_EPSILON;
    private float initialAccumulatorValue = DEFAULT_INITIAL_ACCUMULATOR_VALUE;

    private Builder() {
      super(Adagrad::new);
    }

    /**
     * Sets ε, added to the denominator. Defaults to 1e-10.
     *
     * @param epsilon a finite value {@code > 0}
     * @return this builder
     */
    public Builder optEpsilon(float epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /**
     * Sets the value the accumulator s starts from. Defaults to 0.
     *
     * @param initialAccumulatorValue a finite value {@code ≥ 0}
     * @return this builder
     */
    public Builder optInitialAccumulatorValue(float initialAccumulatorValue) {
      this.initialAccumulatorValue = initialAccumulatorValue;
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      checkEpsilon(epsilon, "pass e.g. optEpsilon(1e-10f)");
      check(
          Float.isFinite(initialAccumulatorValue) && initialAccumulatorValue >= 0f,
          "initial accumulator value must be finite and >= 0, got " + initialAccumulatorValue
              + "; use 0 (the default) or e.g. 0.1f");
    }
  }
}
