package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import io.github.hidlr.djl.optim.MomentOptions;
import java.util.List;

/**
 * D-Adaptation for Adam (Defazio and Mishchenko 2023): Adam whose step size {@code d·lr} grows
 * from {@code d₀} as a lower bound on the distance to the solution is learned, so that {@code lr =
 * 1} works without tuning. It follows the reference implementation ({@code
 * dadaptation.DAdaptAdam}, version 3) step for step. At step {@code k}, with {@code dlr = d·lr·bc}
 * ({@code bc = 1} unless bias correction is on, then {@code √(1−β₂ᵏ⁺¹)/(1−β₁ᵏ⁺¹)}), {@code
 * √β₂} written {@code β}, and sums over every parameter of the block:
 *
 * <pre>
 *   g ← g + λ·w                                  (only if weight decay is not decoupled)
 *   a ← Σ dlr·⟨g, s / (√v + ε)⟩                   (with s, v before this step's update)
 *   m ← β₁·m + dlr·(1−β₁)·g,   v ← β₂·v + (1−β₂)·g²,   s ← β·s + dlr·(1−β)·g
 *   if Σ‖s‖₁ = 0: stop here (no weight moves)
 *   n ← β·n + (1−β)·a                             (n: "numerator_weighted")
 *   d̂ = n / ((1−β)·Σ‖s‖₁),   d ← max(d, min(d̂, d·growth))
 *   w ← w − λ·dlr·w                               (decoupled weight decay)
 *   w ← w − m / (√v + ε)                          (m already carries dlr)
 * </pre>
 *
 * <p>Defaults are the reference's: {@code lr = 1}, {@code β = (0.9, 0.999)}, {@code ε = 1e-8},
 * {@code d₀ = 1e-6}, growth rate {@code ∞}, L2 weight decay {@code λ = 0}, no bias correction.
 * Not supported: per-group {@code layer_scale} (always 1) and FSDP. See {@link
 * io.github.hidlr.djl.optim.NdOptimizer} for how a DJL step is assembled from per-parameter
 * calls.
 *
 * <p>{@link #effectiveLearningRate()} is {@code d·lr·bc} for the next step.
 *
 * @see <a href="https://arxiv.org/abs/2301.07733">Defazio and Mishchenko 2023, Learning-Rate-Free
 *     Learning by D-Adaptation</a>
 * @see <a href="https://github.com/facebookresearch/dadaptation">facebookresearch/dadaptation</a>
 */
public final class DAdaptAdam extends DistanceAdaptive<DAdaptAdam.Scalars> {

  /** Default {@code lr}, a multiplier of the adapted step size. */
  public static final float DEFAULT_LEARNING_RATE = 1f;

  /** Default weight decay λ: none. */
  public static final float DEFAULT_WEIGHT_DECAY = 0f;

  /** First-moment slot. */
  public static final String EXP_AVG = "exp_avg";

  /** Second-moment slot. */
  public static final String EXP_AVG_SQ = "exp_avg_sq";

  /** Slot of the accumulated, weighted gradients {@code s}. */
  public static final String S = "s";


  private double dHat = Double.NaN;
  private double numeratorWeighted;
  private double skL1;

  private DAdaptAdam(Builder builder) {
    super(builder, List.of(EXP_AVG, EXP_AVG_SQ, S), builder.moments, builder.distance,
        builder.resolvedWeightDecay);
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
    double sqrtBeta2 = Math.sqrt(beta2);
    double numeratorAccumulated = 0;
    double l1 = 0;
    for (ParameterStep p : parameters) {
      NDArray w = p.weight();
      NDArray g = p.gradient();
      if (weightDecay != 0 && !decoupled) {
        g.addi(w.mul((float) weightDecay));
      }
      NDArray m = state(EXP_AVG, p.id(), w, id -> w.zerosLike());
      NDArray v = state(EXP_AVG_SQ, p.id(), w, id -> w.zerosLike());
      NDArray s = state(S, p.id(), w, id -> w.zerosLike());
      if (lr > 0) {
        NDArray denom = v.sqrt().addi((float) epsilon);
        numeratorAccumulated += dlr * g.mul(s.div(denom)).sum().getFloat();
        m.muli((float) beta1).addi(g.mul((float) (dlr * (1 - beta1))));
        v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
        s.muli((float) sqrtBeta2).addi(g.mul((float) (dlr * (1 - sqrtBeta2))));
        l1 += s.abs().sum().getFloat();
      }
    }
    if (l1 == 0) {
      // No gradient at all so far: the reference returns before touching d or the weights.
      return;
    }
    double weighted = sqrtBeta2 * numeratorWeighted + (1 - sqrtBeta2) * numeratorAccumulated;
    double estimate = weighted / ((1 - sqrtBeta2) * l1);
    d = Math.max(d, Math.min(estimate, d * growthRate));
    dHat = estimate;
    numeratorWeighted = weighted;
    skL1 = l1;
    for (ParameterStep p : parameters) {
      NDArray w = p.weight();
      NDArray m = state(EXP_AVG, p.id(), w, id -> w.zerosLike());
      NDArray v = state(EXP_AVG_SQ, p.id(), w, id -> w.zerosLike());
      NDArray denom = v.sqrt().addi((float) epsilon);
      if (weightDecay != 0 && decoupled) {
        w.subi(w.mul((float) (weightDecay * dlr)));
      }
      w.subi(m.div(denom));
    }
    k++;
  }

  /**
   * DAdaptAdam's global scalars, as saved and shown in {@link #diagnostics()}.
   *
   * @param d {@code d}
   * @param dHat {@code dHat}
   * @param numeratorWeighted {@code numeratorWeighted}
   * @param skL1 {@code skL1}
   * @param k {@code k}
   */
  public record Scalars(double d, double dHat, double numeratorWeighted, double skL1, long k) {}

  /** {@inheritDoc} */
  @Override
  protected Scalars globalState() {
    return new Scalars(d, dHat, numeratorWeighted, skL1, k);
  }

  /** {@inheritDoc} */
  @Override
  protected void restore(Scalars scalars) {
    d = scalars.d();
    dHat = scalars.dHat();
    numeratorWeighted = scalars.numeratorWeighted();
    skL1 = scalars.skL1();
    k = scalars.k();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "DAdaptAdam{" + wholeStepConfig() + ", beta1=" + beta1 + ", beta2=" + beta2
        + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ", decoupled=" + decoupled
        + ", biasCorrection=" + biasCorrection + ", d0=" + d0 + ", growthRate=" + growthRate + "}";
  }

  /**
   * Builds a {@link DAdaptAdam}; {@code setBlock} is required, the rest defaults to the reference.
   */
  public static final class Builder extends WholeStepOptimizer.Builder<Builder, DAdaptAdam>
      implements MomentOptions<Builder>, DistanceOptions<Builder> {

    private float resolvedWeightDecay;
    private final Moments moments = new Moments();
    private final Distance distance = new Distance(false);

    private Builder() {
      super(DAdaptAdam::new, DEFAULT_LEARNING_RATE);
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
      distance.validate();
      resolvedWeightDecay = weightDecayOr(DEFAULT_WEIGHT_DECAY);
    }
  }
}
