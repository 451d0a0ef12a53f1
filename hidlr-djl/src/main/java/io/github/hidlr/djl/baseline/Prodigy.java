package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import io.github.hidlr.djl.optim.MomentOptions;
import java.util.List;

/**
 * Prodigy (Mishchenko and Defazio 2023): Adam whose step size {@code d·lr} is estimated on the fly
 * from how far the weights moved along the gradients, so that {@code lr = 1} works without tuning.
 * It follows the reference implementation ({@code prodigyopt.Prodigy}) step for step. At step
 * {@code k}, with {@code d} the estimate so far, {@code dlr = d·lr·bc} ({@code bc = 1} unless bias
 * correction is on, then {@code √(1−β₂ᵏ⁺¹)/(1−β₁ᵏ⁺¹)}) and sums over every parameter of the block:
 *
 * <pre>
 *   g ← g + λ·w                                 (only if weight decay is not decoupled)
 *   r ← β₃·r + (d/d₀)·dlr·⟨g, w₀ − w⟩             (r: "d_numerator", w₀: the first weights)
 *   m ← β₁·m + d·(1−β₁)·g,   v ← β₂·v + d²·(1−β₂)·g²
 *   s ← β₃·s + (d/d₀)·dlr·g                     ((d/d₀)·d with safeguard warm-up)
 *   if Σ‖s‖₁ = 0: stop here (no weight moves; k and r keep their old values)
 *   d̂ = c·r / Σ‖s‖₁                             (if d = d₀ still: d ← max(d, d̂))
 *   d_max ← max(d_max, d̂),   d ← min(d_max, d·growth)
 *   w ← w − λ·dlr·w                             (decoupled weight decay)
 *   w ← w − dlr · m / (√v + d·ε)                 (the new d in the denominator)
 * </pre>
 *
 * <p>Defaults are the reference's: {@code lr = 1}, {@code β = (0.9, 0.999)}, {@code β₃ = √β₂},
 * {@code ε = 1e-8}, {@code d₀ = 1e-6}, {@code c = 1}, growth rate {@code ∞}, decoupled weight
 * decay {@code λ = 0}, no bias correction, no safeguard warm-up. Not supported: {@code slice_p > 1}
 * (an approximation) and FSDP. The weight update needs the new {@code d}, known only once every
 * parameter was seen: see {@link io.github.hidlr.djl.optim.NdOptimizer} for how a DJL step is
 * assembled.
 *
 * <p>{@link #effectiveLearningRate()} is {@code d·lr·bc} for the next step, the value Prodigy's
 * authors log as its learning rate.
 *
 * @see <a href="https://arxiv.org/abs/2306.06101">Mishchenko and Defazio 2023, Prodigy: An
 *     Expeditiously Adaptive Parameter-Free Learner</a>
 * @see <a href="https://github.com/konstmish/prodigy">konstmish/prodigy (prodigyopt)</a>
 */
public final class Prodigy extends DistanceAdaptive<Prodigy.Scalars> {

  /** Default {@code lr}, a multiplier of the estimated step size. */
  public static final float DEFAULT_LEARNING_RATE = 1f;

  /** Default weight decay λ: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** Default coefficient {@code c} of {@code d̂}. */
  public static final double DEFAULT_D_COEF = 1;

  /** First-moment slot. */
  public static final String EXP_AVG = "exp_avg";

  /** Second-moment slot. */
  public static final String EXP_AVG_SQ = "exp_avg_sq";

  /** Slot of the accumulated, weighted gradients {@code s}. */
  public static final String S = "s";

  /** Slot of the initial weights {@code w₀}. */
  public static final String P0 = "p0";

  private final double beta3;
  private final boolean safeguardWarmup;
  private final double dCoef;

  private double dMax;
  private double dHat = Double.NaN;
  private double dNumerator;
  private double dDenom;

  private Prodigy(Builder builder) {
    super(builder, List.of(EXP_AVG, EXP_AVG_SQ, S, P0), builder.moments, builder.distance,
        builder.resolvedWeightDecay);
    this.beta3 = Float.isNaN(builder.beta3) ? Math.sqrt(builder.moments.beta2()) : builder.beta3;
    this.safeguardWarmup = builder.safeguardWarmup;
    this.dCoef = builder.dCoef;
    this.dMax = d0;
  }

  /**
   * Returns a builder with the reference defaults; {@link Builder#setBlock} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  protected void applyStep(List<ParameterStep> parameters) {
    double lr = scheduledLearningRate();
    double dlr = d * lr * biasCorrection(k);
    double numerator = dNumerator * beta3;
    double deltaNumerator = 0;
    double denominator = 0;
    for (ParameterStep p : parameters) {
      NDArray w = p.weight();
      NDArray g = p.gradient();
      if (weightDecay != 0 && !decoupled) {
        g.addi(w.mul((float) weightDecay));
      }
      NDArray m = state(EXP_AVG, p.id(), w, id -> w.zerosLike());
      NDArray v = state(EXP_AVG_SQ, p.id(), w, id -> w.zerosLike());
      NDArray s = state(S, p.id(), w, id -> w.zerosLike());
      NDArray w0 = state(P0, p.id(), w, id -> w.duplicate());
      if (lr > 0) {
        // d/d₀ instead of d keeps the sums away from underflow, as in the reference.
        deltaNumerator += (d / d0) * dlr * g.mul(w0.sub(w)).sum().getFloat();
        m.muli((float) beta1).addi(g.mul((float) (d * (1 - beta1))));
        v.muli((float) beta2).addi(g.square().muli((float) (d * d * (1 - beta2))));
        s.muli((float) beta3).addi(g.mul((float) ((d / d0) * (safeguardWarmup ? d : dlr))));
        denominator += s.abs().sum().getFloat();
      }
    }
    if (denominator == 0) {
      // No gradient at all so far: the reference returns before touching d or the weights.
      return;
    }
    double globalNumerator = numerator + deltaNumerator;
    double estimate = dCoef * globalNumerator / denominator;
    if (d == d0) {
      d = Math.max(d, estimate);
    }
    dMax = Math.max(dMax, estimate);
    d = Math.min(dMax, d * growthRate);
    dHat = estimate;
    dNumerator = globalNumerator;
    dDenom = denominator;
    for (ParameterStep p : parameters) {
      NDArray w = p.weight();
      NDArray m = state(EXP_AVG, p.id(), w, id -> w.zerosLike());
      NDArray v = state(EXP_AVG_SQ, p.id(), w, id -> w.zerosLike());
      NDArray denom = v.sqrt().addi((float) (d * epsilon));
      if (weightDecay != 0 && decoupled) {
        w.subi(w.mul((float) (weightDecay * dlr)));
      }
      w.subi(m.div(denom).muli((float) dlr));
    }
    k++;
  }

  /**
   * Prodigy's global scalars, as saved and shown in {@link #diagnostics()}.
   *
   * @param d {@code d}
   * @param dMax {@code dMax}
   * @param dHat {@code dHat}
   * @param dNumerator {@code dNumerator}
   * @param dDenom {@code dDenom}
   * @param k {@code k}
   */
  public record Scalars(
      double d, double dMax, double dHat, double dNumerator, double dDenom, long k) {}

  /** {@inheritDoc} */
  @Override
  protected Scalars globalState() {
    return new Scalars(d, dMax, dHat, dNumerator, dDenom, k);
  }

  /** {@inheritDoc} */
  @Override
  protected void restore(Scalars scalars) {
    d = scalars.d();
    dMax = scalars.dMax();
    dHat = scalars.dHat();
    dNumerator = scalars.dNumerator();
    dDenom = scalars.dDenom();
    k = scalars.k();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "Prodigy{" + wholeStepConfig() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", beta3="
        + beta3 + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ", decoupled="
        + decoupled + ", biasCorrection=" + biasCorrection + ", safeguardWarmup=" + safeguardWarmup
        + ", d0=" + d0 + ", dCoef=" + dCoef + ", growthRate=" + growthRate + "}";
  }

  /** Builds a {@link Prodigy}; {@code setBlock} is required, the rest defaults to the reference. */
  public static final class Builder extends WholeStepOptimizer.Builder<Builder, Prodigy>
      implements MomentOptions<Builder>, DistanceOptions<Builder> {

    private float resolvedWeightDecay;
    private final Moments moments = new Moments();
    private float beta3 = Float.NaN;
    private final Distance distance = new Distance(true);
    private boolean safeguardWarmup;
    private double dCoef = DEFAULT_D_COEF;

    private Builder() {
      super(Prodigy::new, DEFAULT_LEARNING_RATE);
    }

    /**
     * Sets β₃, the decay of {@code r} and {@code s}. Defaults to {@code √β₂}.
     *
     * @param beta3 a value in {@code [0, 1)}
     * @return this builder
     */
    public Builder optBeta3(float beta3) {
      this.beta3 = beta3;
      return this;
    }

    /**
     * Turns the safeguard warm-up on: {@code s} accumulates {@code (d/d₀)·d·g} instead of {@code
     * (d/d₀)·dlr·g}. Defaults to off.
     *
     * @param safeguardWarmup whether to use it
     * @return this builder
     */
    public Builder optSafeguardWarmup(boolean safeguardWarmup) {
      this.safeguardWarmup = safeguardWarmup;
      return this;
    }

    /**
     * Sets the coefficient {@code c} of {@code d̂}. Defaults to 1.
     *
     * @param dCoef a finite value {@code > 0}
     * @return this builder
     */
    public Builder optDCoef(double dCoef) {
      this.dCoef = dCoef;
      return this;
    }

    /** {@inheritDoc} */
    @Override
    public Moments moments() {
      return moments;
    }

    /** {@inheritDoc} */
    @Override
    public Distance distance() {
      return distance;
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      moments.validate();
      if (!Float.isNaN(beta3)) {
        checkUnitInterval("beta3", beta3, "pass e.g. optBeta3(0.999f), or leave it unset for √β₂");
      }
      distance.validate();
      checkPositive("dCoef", dCoef, "pass e.g. optDCoef(1)");
      resolvedWeightDecay = weightDecayOr(DEFAULT_WEIGHT_DECAY);
    }
  }
}
