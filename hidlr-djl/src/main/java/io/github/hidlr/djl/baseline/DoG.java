package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.github.hidlr.djl.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * DoG, "Distance over Gradients" (Ivgi, Hinder and Carmon 2023): SGD whose step size is the
 * largest distance travelled from the initial weights divided by the root of the summed squared
 * gradient norms, with the polynomial-decay iterate averaging its authors require for best
 * results. It follows the reference implementation ({@code dog.DoG} with {@code
 * PolynomialDecayAverager}); all the trainable parameters of the block form one group, so norms
 * are taken over all of them. At step {@code t} (from 0), with {@code x₀} the weights before the
 * first step:
 *
 * <pre>
 *   g ← g + λ·x                                       (L2 weight decay)
 *   r̄₀ = r_ε = reps_rel · (1 + ‖x₀‖),   G₀ = ‖g₀‖² + ε
 *   r̄_t = max(r̄_{t−1}, ‖x_t − x₀‖),    G_t = G_{t−1} + ‖g_t‖²            (t ≥ 1)
 *   η_t = lr · r̄_t / √G_t                              (η₀ = init_eta if given)
 *   x_{t+1} = x_t − η_t · g_t
 *   x̄_{t+1} = (1 − c)·x̄_t + c·x_{t+1},   c = (γ + 1) / (γ + t + 1)        (x̄₁ = x₁)
 * </pre>
 *
 * <p>Defaults are the reference's: {@code reps_rel = 1e-6}, {@code lr = 1} (the paper's {@code
 * c}, not to be tuned), {@code ε = 1e-8}, {@code λ = 0}, averaging with {@code γ = 8}. The average
 * {@code x̄} is kept as a slot of each parameter (one more copy of the weights) and evaluated with
 * {@link #averagedWeights()}; unlike the reference averager it covers parameters only (DJL keeps
 * batch-norm statistics outside the parameters the optimizer sees). Norms are global, so see {@link
 * io.github.hidlr.djl.optim.NdOptimizer} for how a DJL step is assembled.
 *
 * <p>{@link #effectiveLearningRate()} is {@code η_t} of the latest step, {@code NaN} before the
 * first (it depends on the first gradient).
 *
 * @see <a href="https://arxiv.org/abs/2302.12022">Ivgi, Hinder and Carmon 2023, DoG is SGD's Best
 *     Friend: A Parameter-Free Dynamic Step Size Schedule</a>
 * @see <a href="https://github.com/formll/dog">formll/dog</a>
 */
public final class DoG extends WholeStepOptimizer<DoG.Scalars> {

  /** Default {@code lr} (the paper's {@code c}). */
  public static final float DEFAULT_LEARNING_RATE = 1f;

  /** Default relative initial movement {@code reps_rel}. */
  public static final double DEFAULT_REPS_REL = 1e-6;

  /** Default ε, added to the sum of squared gradient norms. */
  public static final double DEFAULT_EPSILON = 1e-8;

  /** Default L2 weight decay λ: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Default γ of the polynomial-decay averaging. */
  public static final double DEFAULT_AVERAGING_GAMMA = 8;

  /** Slot of the initial weights {@code x₀}. */
  public static final String X0 = "x0";

  /** Slot of the averaged iterate {@code x̄}. */
  public static final String X_AVG = "x_avg";

  private final double repsRel;
  private final double epsilon;
  private final double weightDecay;
  private final double initEta;
  private final boolean averaging;
  private final double gamma;

  private double eta = Double.NaN;
  private double rbar;
  private double gradSumSq;
  private WeightSwap swap;

  private DoG(Builder builder) {
    super(builder, builder.averaging ? List.of(X0, X_AVG) : List.of(X0));
    this.initEta = builder.initEta;
    // As in the reference, an explicit first step size replaces r_ε (reps_rel = 0).
    this.repsRel = Double.isNaN(initEta) ? builder.repsRel : 0;
    this.epsilon = builder.epsilon;
    this.weightDecay = builder.resolvedWeightDecay;
    this.averaging = builder.averaging;
    this.gamma = builder.gamma;
  }

  /**
   * Returns a builder with the reference defaults; {@link Builder#setBlock} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns whether the iterate average is kept.
   *
   * @return true unless averaging was turned off
   */
  public boolean isAveraging() {
    return averaging;
  }

  /** {@inheritDoc} */
  @Override
  protected void applyStep(List<ParameterStep> parameters) {
    boolean first = stepIndex() == 0;
    double lr = scheduledLearningRate();
    double gradNormSq = 0;
    double weightNormSq = 0;
    double distanceSq = 0;
    for (ParameterStep p : parameters) {
      NDArray x = p.weight();
      NDArray g = p.gradient();
      NDArray x0 = state(X0, p.id(), x, id -> x.duplicate());
      if (weightDecay > 0) {
        g.addi(x.mul((float) weightDecay));
      }
      gradNormSq += g.square().sum().getFloat();
      if (first) {
        weightNormSq += x.square().sum().getFloat();
      } else {
        distanceSq += x.sub(x0).square().sum().getFloat();
      }
    }
    if (first) {
      rbar = repsRel * (1 + Math.sqrt(weightNormSq));
      gradSumSq = gradNormSq + epsilon;
    } else {
      rbar = Math.max(rbar, Math.sqrt(distanceSq));
      gradSumSq += gradNormSq;
    }
    eta = first && !Double.isNaN(initEta) ? initEta : lr * rbar / Math.sqrt(gradSumSq);
    double c = (gamma + 1) / (gamma + stepIndex() + 1);
    for (ParameterStep p : parameters) {
      NDArray x = p.weight();
      x.subi(p.gradient().mul((float) eta));
      if (averaging) {
        NDArray average = state(X_AVG, p.id(), x, id -> x.duplicate());
        average.muli((float) (1 - c)).addi(x.mul((float) c));
      }
    }
  }

  /** Refuses to step while the averaged weights are swapped in. */
  @Override
  protected void checkCanStep() {
    requireTrainingWeights("step (the gradients were cleared)");
  }

  /** Also refuses to save or load a state while the averaged weights are swapped in. */
  @Override
  protected void checkBetweenSteps(String action) {
    super.checkBetweenSteps(action);
    requireTrainingWeights(action);
  }

  private void requireTrainingWeights(String action) {
    if (swap != null && !swap.isClosed()) {
      throw new IllegalStateException("DoG cannot " + action + " while the averaged weights are"
          + " swapped in: close the WeightSwap returned by averagedWeights() first");
    }
  }

  /**
   * Puts the averaged iterate {@code x̄} into the model's parameters until the returned handle is
   * closed, which restores the training iterate exactly. Parameters without an average yet (no
   * step taken) keep their weights.
   *
   * @return the handle; close it before the next training step
   * @throws IllegalStateException if averaging is off, the average is already swapped in, or a step
   *     is in progress
   */
  public WeightSwap averagedWeights() {
    if (!averaging) {
      throw new IllegalStateException(
          "DoG was built with optAveraging(false): there is no averaged iterate to evaluate");
    }
    if (swap != null && !swap.isClosed()) {
      throw new IllegalStateException("the averaged weights are already swapped in");
    }
    checkBetweenSteps("swap in the averaged weights");
    List<NDArray[]> saved = new ArrayList<>();
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (Pair<String, Parameter> p : block().getParameters()) {
        Parameter parameter = p.getValue();
        if (!parameter.isInitialized() || !hasState(X_AVG, parameter.getId())) {
          continue;
        }
        NDArray weight = parameter.getArray();
        NDArray average = state(X_AVG, parameter.getId(), weight, id -> weight.duplicate());
        NDArray copy = weight.duplicate();
        NDScope.unregister(copy);
        copy.detach();
        saved.add(new NDArray[] {weight, copy});
        Tensors.assign(weight, average);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    swap =
        new WeightSwap(
            () -> {
              for (NDArray[] pair : saved) {
                Tensors.assign(pair[0], pair[1]);
                pair[1].close();
              }
            });
    return swap;
  }

  /**
   * Returns {@code η_t} of the latest step.
   *
   * @return the step size, {@code NaN} before the first step
   */
  @Override
  public double effectiveLearningRate() {
    return eta;
  }

  /**
   * DoG's global scalars, as saved and shown in {@link #diagnostics()}.
   *
   * @param eta {@code eta}
   * @param rbar {@code rbar}
   * @param G {@code gradSumSq}
   */
  public record Scalars(double eta, double rbar, double G) {}

  /** {@inheritDoc} */
  @Override
  protected Scalars globalState() {
    return new Scalars(eta, rbar, gradSumSq);
  }

  /** {@inheritDoc} */
  @Override
  protected void restore(Scalars scalars) {
    eta = scalars.eta();
    rbar = scalars.rbar();
    gradSumSq = scalars.G();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "DoG{" + wholeStepConfig() + ", repsRel=" + repsRel + ", epsilon=" + epsilon
        + ", weightDecay=" + weightDecay + ", initEta="
        + (Double.isNaN(initEta) ? "none" : Double.toString(initEta)) + ", averaging=" + averaging
        + ", gamma=" + gamma + "}";
  }

  /** Builds a {@link DoG}; {@code setBlock} is required, the rest defaults to the reference. */
  public static final class Builder extends WholeStepOptimizer.Builder<Builder, DoG> {

    private float resolvedWeightDecay;
    private double repsRel = DEFAULT_REPS_REL;
    private double epsilon = DEFAULT_EPSILON;
    private double initEta = Double.NaN;
    private boolean averaging = true;
    private double gamma = DEFAULT_AVERAGING_GAMMA;

    private Builder() {
      super(DoG::new, DEFAULT_LEARNING_RATE);
    }

    /**
     * Sets {@code reps_rel}: the first step moves about {@code reps_rel·(1 + ‖x₀‖)}. Defaults to
     * 1e-6 (the authors suggest 1e-4 for models with batch normalization).
     *
     * @param repsRel a finite value {@code > 0}
     * @return this builder
     */
    public Builder optRepsRel(double repsRel) {
      this.repsRel = repsRel;
      return this;
    }

    /**
     * Sets ε, added to the sum of squared gradient norms. Defaults to 1e-8.
     *
     * @param epsilon a finite value {@code > 0}
     * @return this builder
     */
    public Builder optEpsilon(double epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /**
     * Sets the first step size {@code η₀} explicitly, replacing {@code reps_rel} (which then is 0,
     * as in the reference). Unset by default.
     *
     * @param initEta a finite value {@code > 0}
     * @return this builder
     */
    public Builder optInitEta(double initEta) {
      this.initEta = initEta;
      return this;
    }

    /**
     * Keeps the polynomial-decay average of the iterates (on by default, as the authors require).
     *
     * @param averaging whether to keep it
     * @return this builder
     */
    public Builder optAveraging(boolean averaging) {
      this.averaging = averaging;
      return this;
    }

    /**
     * Sets γ of the averaging. Defaults to 8.
     *
     * @param gamma a finite value {@code ≥ 0}
     * @return this builder
     */
    public Builder optAveragingGamma(double gamma) {
      this.gamma = gamma;
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      checkPositive("repsRel", repsRel, "pass e.g. optRepsRel(1e-6)");
      checkPositive("epsilon", epsilon, "pass e.g. optEpsilon(1e-8)");
      if (!Double.isNaN(initEta)) {
        checkPositive("initEta", initEta, "pass e.g. optInitEta(1e-4), or leave it unset");
      }
      check(
          Double.isFinite(gamma) && gamma >= 0,
          "averaging gamma must be finite and >= 0, got " + gamma + "; pass e.g. 8");
      resolvedWeightDecay = weightDecayOr(DEFAULT_WEIGHT_DECAY);
    }
  }
}
