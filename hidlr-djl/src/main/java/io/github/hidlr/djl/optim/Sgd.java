package io.github.hidlr.djl.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's momentum convention ({@code torch.optim.SGD}), the
 * learning rate kept out of the momentum buffer.
 *
 * <pre>
 *   g ← g + λ·w                                   (weight decay λ, L2)
 *   b ← g                       on the first step, if μ &gt; 0
 *   b ← μ·b + (1 − τ)·g         afterwards         (momentum μ, dampening τ)
 *   g ← g + μ·b                 if nesterov, else g ← b   (only if μ &gt; 0)
 *   w ← w − η·g
 * </pre>
 *
 * <p>DJL's own {@code Sgd} accumulates {@code η·g} in the buffer instead, so the two differ as soon
 * as {@code η} changes between steps, and DJL's update is not linear in the current {@code η}.
 * Without momentum both are {@code w ← w − η·(g + λ·w)}.
 *
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.optim.SGD.html">torch.optim.SGD</a>
 * @see <a href="https://proceedings.mlr.press/v28/sutskever13.html">Sutskever et al. 2013, On the
 *     importance of initialization and momentum in deep learning</a>
 */
public final class Sgd extends NdOptimizer {

  /** Default momentum μ: none. */
  public static final float DEFAULT_MOMENTUM = 0f;

  /** Default dampening τ: none. */
  public static final float DEFAULT_DAMPENING = 0f;

  /** Default weight decay λ: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Name of the momentum buffer slot (PyTorch's name). */
  public static final String MOMENTUM_BUFFER = "momentum_buffer";

  private final float momentum;
  private final float dampening;
  private final boolean nesterov;
  private final float weightDecay;

  private Sgd(Builder builder) {
    super(builder, builder.momentum > 0f ? List.of(MOMENTUM_BUFFER) : List.of());
    this.momentum = builder.momentum;
    this.dampening = builder.dampening;
    this.nesterov = builder.nesterov;
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
    if (momentum == 0f) {
      return g;
    }
    // PyTorch starts the buffer at g itself, without dampening, on the first step.
    boolean first = !hasState(MOMENTUM_BUFFER, parameterId);
    NDArray buf = nextState(MOMENTUM_BUFFER, parameterId, weight, k -> g.duplicate(),
        first ? old -> old : old -> old.mul(momentum).addi(g.mul(1f - dampening)));
    return nesterov ? g.addi(buf.mul(momentum)) : buf;
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "Sgd{" + commonConfig() + ", momentum=" + momentum + ", dampening=" + dampening
        + ", nesterov=" + nesterov + ", weightDecay=" + weightDecay + "}";
  }

  /** Builds an {@link Sgd}; {@code setLearningRate} is required, the rest optional. */
  public static final class Builder extends NdOptimizer.Builder<Builder, Sgd> {

    private float momentum = DEFAULT_MOMENTUM;
    private float dampening = DEFAULT_DAMPENING;
    private boolean nesterov;

    private Builder() {
      super(Sgd::new);
    }

    /**
     * Sets the momentum μ. Defaults to 0 (plain SGD, no state).
     *
     * @param momentum a value in {@code [0, 1)}
     * @return this builder
     */
    public Builder optMomentum(float momentum) {
      this.momentum = momentum;
      return this;
    }

    /**
     * Sets the dampening τ of the momentum buffer. Defaults to 0.
     *
     * @param dampening a value in {@code [0, 1]}
     * @return this builder
     */
    public Builder optDampening(float dampening) {
      this.dampening = dampening;
      return this;
    }

    /**
     * Turns on Nesterov momentum; needs a momentum {@code > 0} and no dampening, as in PyTorch.
     * Defaults to false.
     *
     * @param nesterov whether to use Nesterov momentum
     * @return this builder
     */
    public Builder optNesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      checkUnitInterval("momentum", momentum, "pass e.g. optMomentum(0.9f), or 0 for none");
      check(
          dampening >= 0f && dampening <= 1f,
          "dampening must be in [0, 1], got " + dampening + "; use 0 for none");
      check(
          !nesterov || (momentum > 0f && dampening == 0f),
          "nesterov momentum needs momentum > 0 and dampening 0, got momentum " + momentum
              + " and dampening " + dampening
              + "; set optMomentum(0.9f) and optDampening(0f), or optNesterov(false)");
    }
  }
}
