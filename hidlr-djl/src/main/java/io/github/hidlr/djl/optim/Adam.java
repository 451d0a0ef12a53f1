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
    this.beta1 = builder.moments.beta1();
    this.beta2 = builder.moments.beta2();
    this.epsilon = builder.moments.epsilon();
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
    NDArray v = nextState(EXP_AVG_SQ, parameterId, weight, k -> weight.zerosLike(),
        old -> old.mul(beta2).addi(g.square().muli(1f - beta2)));
    // g is a temporary and not needed after this: scaled in place, one allocation fewer.
    NDArray m = nextState(EXP_AVG, parameterId, weight, k -> weight.zerosLike(),
        old -> old.mul(beta1).addi(g.muli(1f - beta1)));
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
    return (decoupled ? "AdamW{" : "Adam{") + commonConfig() + ", beta1=" + beta1 + ", beta2="
        + beta2 + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ", decoupled="
        + decoupled + "}";
  }

  /**
   * Builds an {@link Adam}; {@code setLearningRate} is required, the rest optional. The weight
   * decay defaults to 0 for Adam and to 0.01 once {@link #optDecoupled(boolean) decoupled}.
   */
  public static final class Builder extends NdOptimizer.Builder<Builder, Adam>
      implements MomentOptions<Builder> {

    private final Moments moments = new Moments();
    private boolean decoupled;

    private Builder() {
      super(Adam::new);
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
    public Moments moments() {
      return moments;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      moments.validate();
    }
  }
}
