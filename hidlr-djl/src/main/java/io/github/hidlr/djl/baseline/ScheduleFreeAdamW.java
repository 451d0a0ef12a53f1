package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.github.hidlr.djl.Tensors;
import io.github.hidlr.djl.optim.MomentOptions;
import java.util.List;

/**
 * Schedule-Free AdamW (Defazio, Yang, Mehta, Mishchenko, Khaled and Cutkosky 2024): AdamW without a
 * learning-rate schedule, replaced by an online average of the iterates. It keeps a base sequence
 * {@code z}, an average {@code x} (the point to evaluate) and trains at the interpolation {@code
 * y = (1 − β₁)·z + β₁·x}, which is what the model's parameters hold while training. It follows the
 * reference implementation ({@code schedulefree.AdamWScheduleFree}, without its optional inner
 * momentum). At step {@code k} (from 0):
 *
 * <pre>
 *   lr_k  = lr · min(1, (k + 1)/warmup)                    (warm-up; lr also follows optSchedule)
 *   lr_max ← max(lr_max, lr_k),   ω_k = (k + 1)^r · lr_max^p,   W ← W + ω_k,   c = ω_k / W
 *   v ← β₂·v + (1 − β₂)·g²,   ĝ = g / (√(v / (1 − β₂ᵏ⁺¹)) + ε) + λ·y
 *   y ← y + c·(z − y) + lr_k·(β₁·(1 − c) − 1)·ĝ           (the parameters, updated in place)
 *   z ← z − lr_k·ĝ                                           (z₀ = y₀ = x₀, the initial weights)
 * </pre>
 *
 * <p>and {@code x} is never stored: {@link #eval()} turns the parameters from {@code y} into {@code
 * x = y + (1 − 1/β₁)·(z − y)} and {@link #train()} back into {@code y = x + (1 − β₁)·(z − x)}, both
 * with PyTorch's {@code lerp} arithmetic, as the reference's {@code eval()} and {@code train()} do.
 * Evaluate (and checkpoint, if the evaluation weights are wanted) in eval mode; a training step in
 * eval mode is refused, as in the reference. Unlike the reference, a new optimizer starts in train
 * mode: before the first step {@code x = y = z}, and DJL's trainer never calls {@code train()}.
 *
 * <p>Defaults are the reference's: {@code lr = 0.0025}, {@code β = (0.9, 0.999)}, {@code ε =
 * 1e-8}, {@code λ = 0}, no warm-up, {@code r = 0}, {@code p = weight_lr_power = 2}. The method is
 * per parameter; it is assembled as a whole step ({@link WholeStepOptimizer}) so that a NaN
 * gradient is refused before any parameter moved.
 *
 * <p>{@link #effectiveLearningRate()} is {@code lr_k} of the next step (warm-up and schedule
 * applied).
 *
 * @see <a href="https://arxiv.org/abs/2405.15682">Defazio et al. 2024, The Road Less Scheduled</a>
 * @see <a href="https://github.com/facebookresearch/schedule_free">schedule_free</a>
 */
public final class ScheduleFreeAdamW extends WholeStepOptimizer<ScheduleFreeAdamW.Scalars> {

  /** Default {@code lr}. */
  public static final float DEFAULT_LEARNING_RATE = 0.0025f;

  /** Default weight decay λ (applied at {@code y}): none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Default warm-up: none. */
  public static final int DEFAULT_WARMUP_STEPS = 0;

  /** Default power {@code r} of the polynomial weighting of the average. */
  public static final double DEFAULT_R = 0;

  /** Default power {@code p} of {@code lr_max} in the weights of the average. */
  public static final double DEFAULT_WEIGHT_LR_POWER = 2;

  /** Slot of the base sequence {@code z}. */
  public static final String Z = "z";

  /** Second-moment slot. */
  public static final String EXP_AVG_SQ = "exp_avg_sq";

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final int warmupSteps;
  private final double r;
  private final double weightLrPower;

  private boolean trainMode = true;
  private double lrMax = -1;
  private double weightSum;
  private double scheduledLr;
  private double ckp1 = Double.NaN;

  private ScheduleFreeAdamW(Builder builder) {
    super(builder, List.of(Z, EXP_AVG_SQ));
    this.beta1 = builder.moments.beta1();
    this.beta2 = builder.moments.beta2();
    this.epsilon = builder.moments.epsilon();
    this.weightDecay = builder.resolvedWeightDecay;
    this.warmupSteps = builder.warmupSteps;
    this.r = builder.r;
    this.weightLrPower = builder.weightLrPower;
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
   * Tells whether the parameters hold the training point {@code y} (true) or the evaluation point
   * {@code x} (false).
   *
   * @return true in train mode
   */
  public boolean isTrainMode() {
    return trainMode;
  }

  private double rateOfStep(long step) {
    double warmup = step < warmupSteps ? (step + 1.0) / warmupSteps : 1.0;
    return learningRate() * schedule().multiplier(step) * warmup;
  }

  /** {@inheritDoc} */
  @Override
  protected void checkCanStep() {
    if (!trainMode) {
      throw new IllegalStateException(
          "ScheduleFreeAdamW is in eval mode (the parameters hold x, not y): call train() before"
              + " the next training step; the gradients were cleared");
    }
  }

  /** {@inheritDoc} */
  @Override
  protected void applyStep(List<ParameterStep> parameters) {
    long k = stepIndex();
    double lr = rateOfStep(k);
    double biasCorrection2 = 1 - Math.pow(beta2, k + 1);
    scheduledLr = lr;
    lrMax = Math.max(lr, lrMax);
    double weight = Math.pow(k + 1, r) * Math.pow(lrMax, weightLrPower);
    weightSum += weight;
    // The reference catches the division by zero (lr = 0 so far) and uses c = 0.
    ckp1 = weightSum == 0 ? 0 : weight / weightSum;
    float yStep = (float) (lr * (beta1 * (1 - ckp1) - 1));
    for (ParameterStep p : parameters) {
      NDArray y = p.weight();
      NDArray g = p.gradient();
      NDArray z = state(Z, p.id(), y, id -> y.duplicate());
      NDArray v = state(EXP_AVG_SQ, p.id(), y, id -> y.zerosLike());
      v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
      NDArray denom = v.div((float) biasCorrection2).sqrt().addi((float) epsilon);
      NDArray normalized = g.divi(denom);
      if (weightDecay != 0) {
        normalized.addi(y.mul((float) weightDecay));
      }
      lerp(y, z, ckp1);
      y.addi(normalized.mul(yStep));
      z.subi(normalized.mul((float) lr));
    }
  }

  /**
   * {@code self ← self + w·(end − self)} in place, with PyTorch's {@code lerp} arithmetic: {@code
   * end − (end − self)·(1 − w)} when {@code |w| ≥ 0.5}.
   */
  private static void lerp(NDArray self, NDArray end, double weight) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray difference = end.sub(self);
      if (Math.abs(weight) < 0.5) {
        self.addi(difference.muli((float) weight));
      } else {
        Tensors.assign(self, end.sub(difference.muli((float) (1 - weight))));
      }
    }
  }

  /**
   * Switches the parameters to the evaluation point {@code x = y + (1 − 1/β₁)·(z − y)}; does
   * nothing in eval mode. Parameters without state yet (no step taken) already hold {@code x}.
   *
   * @throws IllegalStateException in the middle of a step
   */
  public void eval() {
    if (!trainMode) {
      return;
    }
    checkBetweenSteps("switch to the evaluation weights");
    moveTowardsZ(1 - 1 / beta1);
    trainMode = false;
  }

  /**
   * Switches the parameters back to the training point {@code y = x + (1 − β₁)·(z − x)}; does
   * nothing in train mode.
   *
   * @throws IllegalStateException in the middle of a step
   */
  public void train() {
    if (trainMode) {
      return;
    }
    checkBetweenSteps("switch to the training weights");
    moveTowardsZ(1 - beta1);
    trainMode = true;
  }

  private void moveTowardsZ(double weight) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (Pair<String, Parameter> p : block().getParameters()) {
        Parameter parameter = p.getValue();
        if (!parameter.isInitialized() || !hasState(Z, parameter.getId())) {
          continue;
        }
        NDArray w = parameter.getArray();
        lerp(w, state(Z, parameter.getId(), w, id -> w.duplicate()), weight);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Switches to the evaluation point {@code x} until the returned handle is closed, which switches
   * back to {@code y} ({@link #eval()} then {@link #train()}).
   *
   * @return the handle; close it before the next training step
   * @throws IllegalStateException if already in eval mode, or in the middle of a step
   */
  public WeightSwap evaluationWeights() {
    if (!trainMode) {
      throw new IllegalStateException(
          "already in eval mode: the parameters hold x; call train() to go back to y");
    }
    eval();
    return new WeightSwap(this::train);
  }

  /**
   * Returns {@code lr_k} of the next step: the learning rate with warm-up (and schedule) applied.
   *
   * @return the effective learning rate
   */
  @Override
  public double effectiveLearningRate() {
    return rateOfStep(stepIndex());
  }

  /**
   * ScheduleFreeAdamW's global scalars, as saved and shown in {@link #diagnostics()}.
   *
   * @param trainMode {@code trainMode}
   * @param lrMax {@code lrMax}
   * @param weightSum {@code weightSum}
   * @param scheduledLr {@code scheduledLr}
   * @param ckp1 {@code ckp1}
   */
  public record Scalars(
      boolean trainMode, double lrMax, double weightSum, double scheduledLr, double ckp1) {}

  /** {@inheritDoc} */
  @Override
  protected Scalars globalState() {
    return new Scalars(trainMode, lrMax, weightSum, scheduledLr, ckp1);
  }

  /** {@inheritDoc} */
  @Override
  protected void restore(Scalars scalars) {
    trainMode = scalars.trainMode();
    lrMax = scalars.lrMax();
    weightSum = scalars.weightSum();
    scheduledLr = scalars.scheduledLr();
    ckp1 = scalars.ckp1();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "ScheduleFreeAdamW{" + wholeStepConfig() + ", beta1=" + beta1 + ", beta2=" + beta2
        + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ", warmupSteps=" + warmupSteps
        + ", r=" + r + ", weightLrPower=" + weightLrPower + "}";
  }

  /**
   * Builds a {@link ScheduleFreeAdamW}; {@code setBlock} is required, the rest defaults to the
   * reference.
   */
  public static final class Builder extends WholeStepOptimizer.Builder<Builder, ScheduleFreeAdamW>
      implements MomentOptions<Builder> {

    private float resolvedWeightDecay;
    private final Moments moments = new Moments();
    private int warmupSteps = DEFAULT_WARMUP_STEPS;
    private double r = DEFAULT_R;
    private double weightLrPower = DEFAULT_WEIGHT_LR_POWER;

    private Builder() {
      super(ScheduleFreeAdamW::new, DEFAULT_LEARNING_RATE);
    }

    /**
     * Sets the number of linear warm-up steps. Defaults to 0.
     *
     * @param warmupSteps a value {@code ≥ 0}
     * @return this builder
     */
    public Builder optWarmupSteps(int warmupSteps) {
      this.warmupSteps = warmupSteps;
      return this;
    }

    /**
     * Sets the power {@code r} of the polynomial weighting of the average. Defaults to 0.
     *
     * @param r a finite value {@code ≥ 0}
     * @return this builder
     */
    public Builder optR(double r) {
      this.r = r;
      return this;
    }

    /**
     * Sets the power {@code p} of {@code lr_max} in the weights of the average. Defaults to 2.
     *
     * @param weightLrPower a finite value {@code ≥ 0}
     * @return this builder
     */
    public Builder optWeightLrPower(double weightLrPower) {
      this.weightLrPower = weightLrPower;
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
      check(
          moments.beta1() > 0f,
          "beta1 must be in (0, 1) (eval() divides by it), got " + moments.beta1()
              + "; pass e.g. 0.9f");
      check(warmupSteps >= 0, "warmupSteps must be >= 0, got " + warmupSteps + "; 0 for none");
      check(Double.isFinite(r) && r >= 0, "r must be finite and >= 0, got " + r);
      check(
          Double.isFinite(weightLrPower) && weightLrPower >= 0,
          "weightLrPower must be finite and >= 0, got " + weightLrPower);
      resolvedWeightDecay = weightDecayOr(DEFAULT_WEIGHT_DECAY);
    }
  }
}
