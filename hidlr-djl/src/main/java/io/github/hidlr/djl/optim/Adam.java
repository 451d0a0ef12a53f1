package io.github.hidlr.djl.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Adam in PyTorch's form ({@code torch.optim.Adam}), and AdamW ({@code torch.optim.AdamW}) when the
 * weight decay is decoupled; unlike DJL's {@code Adam}, its moments can be saved and loaded.
 *
 * <pre>
 *   g ← g + λ·w                                 (L2 weight decay; not when decoupled)
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²                  (m₀ = v₀ = 0)
 *   d = (m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + ε)
 *   d ← d + λ·w                                 (decoupled, AdamW)
 *   w ← w − η·d
 * </pre>
 *
 * <p>For AdamW PyTorch writes {@code w ← w − η·λ·w} before the Adam step; since the Adam direction
 * does not depend on {@code w}, folding {@code λ·w} into {@code d} is the same update, and it keeps
 * {@code η} in one place.
 *
 * @see <a href="https://arxiv.org/abs/1412.6980">Kingma and Ba 2015, Adam: A Method for Stochastic
 *     Optimization</a>
 * @see <a href="https://arxiv.org/abs/1711.05101">Loshchilov and Hutter 2019, Decoupled Weight
 *     Decay Regularization</a>
 * @see <a
 *     href="https://pytorch.org/docs/stable/generated/torch.optim.Adam.html">torch.optim.Adam</a>
 */
public final class Adam extends NdOptimizer {

  /** Default β₁ (PyTorch's). */
  public static final float DEFAULT_BETA1 = 0.9f;

  /** Default β₂ (PyTorch's). */
  public static final float DEFAULT_BETA2 = 0.999f;

  /** Default ε (PyTorch's). */
  public static final float DEFAULT_EPSILON = 1e-8f;

  /** Default L2 weight decay λ of Adam: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Default decoupled weight decay λ of AdamW (PyTorch's). */
  public static final float DEFAULT_DECOUPLED_WEIGHT_DECAY = 0.01f;

  /** Name of the first-moment slot (PyTorch's name). */
  public static final String EXP_AVG = "exp_avg";

  /** Name of the second-moment slot (PyTorch's name). */
  public static final String EXP_AVG_SQ = "exp_avg_sq";

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final boolean decoupled;

  private Adam(Builder builder) {
    super(builder, List.of(EXP_AVG, EXP_AVG_SQ));
    this.beta1 = builder.beta1;
    this.beta2 = builder.beta2;
    this.epsilon = builder.epsilon;
    this.decoupled = builder.decoupled;
    this.weightDecay =
        builder.weightDecayOr(decoupled ? DEFAULT_DECOUPLED_WEIGHT_DECAY : DEFAULT_WEIGHT_DECAY);
  }

  /**
   * Returns a builder for Adam (L2 weight decay); {@link Builder#setLearningRate(float)} is
   * required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns whether the weight decay is decoupled (AdamW).
   *
   * @return true for AdamW
   */
  public boolean isDecoupled() {
    return decoupled;
  }

  /** {@inheritDoc} */
  @Override
  protected NDArray direction(String parameterId, NDArray weight, NDArray grad, long step) {
    NDArray g = decoupled ? grad : addWeightDecay(grad, weight, weightDecay);
    NDArray m = state(EXP_AVG, parameterId, weight, k -> weight.zerosLike());
    NDArray v = state(EXP_AVG_SQ, parameterId, weight, k -> weight.zerosLike());
    m.muli(beta1).addi(g.mul(1f - beta1));
    v.muli(beta2).addi(g.square().muli(1f - beta2));
    // In double: β^t underflows gracefully and 1 − β₂ᵗ is tiny for small t.
    double bias1 = 1.0 - Math.pow(beta1, step);
    double bias2 = 1.0 - Math.pow(beta2, step);
    NDArray denom = v.sqrt().divi((float) Math.sqrt(bias2)).addi(epsilon);
    NDArray d = m.div(denom).divi((float) bias1);
    if (decoupled && weightDecay != 0f) {
      d.addi(weight.mul(weightDecay));
    }
    return d;
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return (decoupled ? "AdamW{" : "Adam{")
        + commonConfig()
        + ", beta1="
        + beta1
        + ", beta2="
        + beta2
        + ", epsilon="
        + epsilon
        + ", weightDecay="
        + weightDecay
        + ", decoupled="
        + decoupled
        + "}";
  }

  /**
   * Builds an {@link Adam}; {@code setLearningRate} is required, the rest optional. The weight
   * decay defaults to 0 for Adam and to 0.01 once {@link #optDecoupled(boolean) decoupled}.
   */
  public static final class Builder extends NdOptimizer.Builder<Builder> {

    private float beta1 = DEFAULT_BETA1;
    private float beta2 = DEFAULT_BETA2;
    private float epsilon = DEFAULT_EPSILON;
    private boolean decoupled;

    private Builder() {}

    /**
     * Sets β₁, the decay of the first moment. Defaults to 0.9.
     *
     * @param beta1 a value in {@code [0, 1)}
     * @return this builder
     */
    public Builder optBeta1(float beta1) {
      this.beta1 = beta1;
      return this;
    }

    /**
     * Sets β₂, the decay of the second moment. Defaults to 0.999.
     *
     * @param beta2 a value in {@code [0, 1)}
     * @return this builder
     */
    public Builder optBeta2(float beta2) {
      this.beta2 = beta2;
      return this;
    }

    /**
     * Sets ε, added to the denominator. Defaults to 1e-8.
     *
     * @param epsilon a finite value {@code > 0}
     * @return this builder
     */
    public Builder optEpsilon(float epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /**
     * Decouples the weight decay from the gradient (AdamW: {@code w ← w − η·λ·w} besides the Adam
     * step) instead of adding {@code λ·w} to the gradient. Defaults to false; {@link
     * Optimizers#adamW()} sets it.
     *
     * @param decoupled whether the weight decay is decoupled
     * @return this builder
     */
    public Builder optDecoupled(boolean decoupled) {
      this.decoupled = decoupled;
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected Builder self() {
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      checkUnitInterval("beta1", beta1, "pass e.g. optBeta1(0.9f)");
      checkUnitInterval("beta2", beta2, "pass e.g. optBeta2(0.999f)");
      checkEpsilon(epsilon, "pass e.g. optEpsilon(1e-8f)");
    }

    /**
     * Builds the optimizer after validating every option.
     *
     * @return the optimizer
     * @throws IllegalArgumentException naming the bad value and the fix
     */
    public Adam build() {
      validate();
      return new Adam(this);
    }
  }
}
