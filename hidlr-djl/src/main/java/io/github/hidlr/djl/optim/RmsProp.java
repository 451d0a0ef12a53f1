package io.github.hidlr.djl.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp in PyTorch's form ({@code torch.optim.RMSprop}); DJL's {@code RmsProp} is not implemented
 * on the PyTorch engine.
 *
 * <pre>
 *   g ← g + λ·w                                          (weight decay λ, L2)
 *   v ← α·v + (1 − α)·g²                                 (v₀ = 0)
 *   a ← √v + ε,   or, if centered:  m ← α·m + (1 − α)·g,  a ← √(v − m²) + ε
 *   b ← μ·b + g/a,  w ← w − η·b      if momentum μ &gt; 0 (b₀ = 0)
 *   w ← w − η·g/a                   otherwise
 * </pre>
 *
 * <p>The learning rate multiplies the final direction only, never a buffer.
 *
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html">
 *     torch.optim.RMSprop</a>
 * @see <a href="https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf">Hinton,
 *     Lecture 6e of Neural Networks for Machine Learning (2012)</a>
 */
public final class RmsProp extends NdOptimizer {

  /** Default smoothing constant α (PyTorch's). */
  public static final float DEFAULT_ALPHA = 0.99f;

  /** Default ε (PyTorch's). */
  public static final float DEFAULT_EPSILON = 1e-8f;

  /** Default momentum μ: none. */
  public static final float DEFAULT_MOMENTUM = 0f;

  /** Default weight decay λ: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Name of the running mean of g² (PyTorch's name). */
  public static final String SQUARE_AVG = "square_avg";

  /** Name of the running mean of g, kept only when centered (PyTorch's name). */
  public static final String GRAD_AVG = "grad_avg";

  /** Name of the momentum buffer, kept only with momentum (PyTorch's name). */
  public static final String MOMENTUM_BUFFER = "momentum_buffer";

  private final float alpha;
  private final float epsilon;
  private final float momentum;
  private final boolean centered;
  private final float weightDecay;

  private RmsProp(Builder builder) {
    super(builder, slots(builder));
    this.alpha = builder.alpha;
    this.epsilon = builder.epsilon;
    this.momentum = builder.momentum;
    this.centered = builder.centered;
    this.weightDecay = builder.weightDecayOr(DEFAULT_WEIGHT_DECAY);
  }

  private static List<String> slots(Builder builder) {
    List<String> names = new ArrayList<>();
    names.add(SQUARE_AVG);
    if (builder.centered) {
      names.add(GRAD_AVG);
    }
    if (builder.momentum > 0f) {
      names.add(MOMENTUM_BUFFER);
    }
    return names;
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
    NDArray v = nextState(SQUARE_AVG, parameterId, weight, k -> weight.zerosLike(),
        old -> old.mul(alpha).addi(g.square().muli(1f - alpha)));
    NDArray avg;
    if (centered) {
      NDArray m = nextState(GRAD_AVG, parameterId, weight, k -> weight.zerosLike(),
          old -> old.mul(alpha).addi(g.mul(1f - alpha)));
      avg = v.sub(m.square()).sqrt().addi(epsilon);
    } else {
      avg = v.sqrt().addi(epsilon);
    }
    if (momentum == 0f) {
      return g.divi(avg);
    }
    return nextState(MOMENTUM_BUFFER, parameterId, weight, k -> weight.zerosLike(),
        old -> old.mul(momentum).addi(g.divi(avg)));
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "RmsProp{" + commonConfig() + ", alpha=" + alpha + ", epsilon=" + epsilon + ", momentum="
        + momentum + ", centered=" + centered + ", weightDecay=" + weightDecay + "}";
  }

  /** Builds an {@link RmsProp}; {@code setLearningRate} is required, the rest optional. */
  public static final class Builder extends NdOptimizer.Builder<Builder, RmsProp> {

    private float alpha = DEFAULT_ALPHA;
    private float epsilon = DEFAULT_EPSILON;
    private float momentum = DEFAULT_MOMENTUM;
    private boolean centered;

    private Builder() {
      super(RmsProp::new);
    }

    /**
     * Sets the smoothing constant α of the running mean of g². Defaults to 0.99.
     *
     * @param alpha a value in {@code [0, 1)}
     * @return this builder
     */
    public Builder optAlpha(float alpha) {
      this.alpha = alpha;
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
     * Sets the momentum μ. Defaults to 0.
     *
     * @param momentum a value in {@code [0, 1)}
     * @return this builder
     */
    public Builder optMomentum(float momentum) {
      this.momentum = momentum;
      return this;
    }

    /**
     * Normalizes by an estimate of the variance of g instead of its second moment. Defaults to
     * false.
     *
     * @param centered whether to center
     * @return this builder
     */
    public Builder optCentered(boolean centered) {
      this.centered = centered;
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      checkUnitInterval("alpha", alpha, "pass e.g. optAlpha(0.99f)");
      checkEpsilon(epsilon, "pass e.g. optEpsilon(1e-8f)");
      checkUnitInterval("momentum", momentum, "pass e.g. optMomentum(0.9f), or 0 for none");
    }
  }
}
