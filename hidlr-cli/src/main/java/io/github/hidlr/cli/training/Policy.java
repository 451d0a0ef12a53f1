package io.github.hidlr.cli.training;

import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.JointScale;
import io.github.hidlr.core.tuner.TunerConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A named Hi-DLR tuning policy, as the experiments and {@code hidlr study} run it: a preset of
 * hidlr-core plus, optionally, a horizon over the known budget. Every task gets the same
 * policy; only {@code η0}, {@code Φ} and the groups come from the task.
 *
 * @param name the method's name in tables, e.g. {@code hi-dlr} or {@code hi-dlr-paper}
 * @param mechanisms what the policy adds to the paper's rule, for tables
 * @param preset the hidlr-core preset it starts from
 * @param horizon the horizon scale over the run's budget ({@code CONSTANT}: none)
 * @param probes where the run draws its probe batches
 */
public record Policy(String name, String mechanisms, Supplier<TunerConfig.Builder> preset,
    Horizon horizon, ProbeSource probes) {

  /**
   * A policy that probes on the next training batch.
   *
   * @param name the name
   * @param mechanisms what it adds to the paper's rule
   * @param preset the preset
   * @param horizon the horizon
   */
  public Policy(String name, String mechanisms, Supplier<TunerConfig.Builder> preset,
      Horizon horizon) {
    this(name, mechanisms, preset, horizon, ProbeSource.NEXT_BATCH);
  }

  /**
   * The default: {@link TunerConfig#hiDlr()} (bias-corrected log-rate EMA, smoothed joint
   * scale, uphill fits shrink) with the cooldown over the run's known budget.
   */
  public static final Policy DEFAULT = new Policy("hi-dlr",
      "paper + bias-corrected log-rate EMA + smoothed joint scale + uphill fits shrink +"
          + " cooldown over the last fifth", TunerConfig::hiDlr, Horizon.COOLDOWN);
  /**
   * The previous default: {@link #DEFAULT} without the bias correction (studied as the
   * default, then beside it as {@code hi-dlr-bc} was studied; docs/POLICY.md).
   */
  public static final Policy NO_BIAS_CORRECTION = new Policy("hi-dlr-nobc",
      "paper + log-rate EMA + smoothed joint scale + uphill fits shrink + cooldown over the"
          + " last fifth (the previous default)",
      () -> TunerConfig.hiDlr().optBiasCorrection(false), Horizon.COOLDOWN);
  /** The paper's own rule, {@link TunerConfig#paper()}. */
  public static final Policy PAPER = new Policy("hi-dlr-paper",
      "the paper's rule (ALGORITHM.md §4)", TunerConfig::paper, Horizon.CONSTANT);
  /** {@link #NO_BIAS_CORRECTION} without the cooldown, as first studied. */
  public static final Policy NO_BUDGET = new Policy("hi-dlr-log",
      "paper + log-rate EMA + smoothed joint scale + uphill fits shrink (no cooldown)",
      () -> TunerConfig.hiDlr().optBiasCorrection(false), Horizon.CONSTANT);
  /** The previous default: the paper's linear rate EMA with the two safeguards. */
  public static final Policy LINEAR = new Policy("linear-ema",
      "paper + smoothed joint scale + uphill fits shrink", Policy::linear, Horizon.CONSTANT);
  /** {@link #LINEAR} with the joint scale applied at once instead of smoothed. */
  public static final Policy DIRECT = new Policy("hi-dlr-direct",
      "paper + direct joint scale + uphill fits shrink",
      () -> TunerConfig.paper().optJointScale(JointScale.DIRECT).optUphillShrinks(true),
      Horizon.CONSTANT);
  /** The joint line search on the candidates before the EMA, with uphill shrink. */
  public static final Policy CANDIDATE = new Policy("hi-dlr-candidate",
      "paper + joint line search on the candidates + uphill fits shrink",
      () -> TunerConfig.paper().optJointScale(JointScale.CANDIDATE).optUphillShrinks(true),
      Horizon.CONSTANT);
  /** {@link #CANDIDATE} with a cosine horizon over the budget. */
  public static final Policy CANDIDATE_COSINE = new Policy("candidate-cosine",
      "hi-dlr-candidate + cosine horizon over the budget",
      () -> TunerConfig.paper().optJointScale(JointScale.CANDIDATE).optUphillShrinks(true),
      Horizon.COSINE);
  /** The paper's rule with the smoothed joint scale only. */
  public static final Policy JOINT_ONLY = new Policy("joint-only",
      "paper + smoothed joint scale",
      () -> TunerConfig.paper().optJointScale(JointScale.SMOOTHED), Horizon.CONSTANT);
  /** The paper's rule with uphill fits lowering the rate only. */
  public static final Policy UPHILL_ONLY = new Policy("uphill-only",
      "paper + uphill fits shrink", () -> TunerConfig.paper().optUphillShrinks(true),
      Horizon.CONSTANT);
  /** The default with a cosine horizon instead of the cooldown (the paper's image setting). */
  public static final Policy DEFAULT_COSINE = new Policy("hi-dlr-cosine",
      "hi-dlr with a cosine horizon over the budget instead of the cooldown", TunerConfig::hiDlr,
      Horizon.COSINE);
  /** {@link #LINEAR} with a cosine horizon over the budget. */
  public static final Policy LINEAR_COSINE = new Policy("linear-cosine",
      "linear-ema + cosine horizon over the budget", Policy::linear, Horizon.COSINE);
  /** {@link #LINEAR} with the cooldown over the budget. */
  public static final Policy LINEAR_COOLDOWN = new Policy("hi-dlr-cooldown",
      "linear-ema + cooldown over the last fifth of the budget", Policy::linear,
      Horizon.COOLDOWN);
  /** {@link #LINEAR}, probing on held-out training data. */
  public static final Policy HELD_OUT = new Policy("hi-dlr-heldout",
      "linear-ema + probes on a held-out tenth of the training data", Policy::linear,
      Horizon.CONSTANT, ProbeSource.HELD_OUT);
  /** {@link #HELD_OUT} with the cooldown. */
  public static final Policy HELD_OUT_COOLDOWN = new Policy("heldout-cooldown",
      "linear-ema + held-out probes + cooldown over the last fifth", Policy::linear,
      Horizon.COOLDOWN, ProbeSource.HELD_OUT);

  /** The previous default's preset: the paper's rule with the joint scale and uphill shrink. */
  private static TunerConfig.Builder linear() {
    return TunerConfig.paper().optJointScale(JointScale.SMOOTHED).optUphillShrinks(true);
  }

  /**
   * What {@code reproduce} and {@code run} compare: the default and the paper's policy.
   *
   * @return the policies
   */
  public static List<Policy> reported() {
    return List.of(DEFAULT, PAPER);
  }

  /**
   * Every named policy, the candidates of {@code hidlr study}.
   *
   * @return the policies
   */
  public static List<Policy> all() {
    return List.of(DEFAULT, PAPER, NO_BIAS_CORRECTION, NO_BUDGET, LINEAR, DIRECT, JOINT_ONLY,
        UPHILL_ONLY, DEFAULT_COSINE, LINEAR_COSINE, LINEAR_COOLDOWN, CANDIDATE, CANDIDATE_COSINE,
        HELD_OUT, HELD_OUT_COOLDOWN);
  }

  /**
   * The names, comma-separated, as {@code --policies} takes them.
   *
   * @param policies the policies
   * @return e.g. {@code hi-dlr,hi-dlr-paper}
   */
  public static String names(List<Policy> policies) {
    return policies.stream().map(Policy::name).collect(Collectors.joining(","));
  }

  /**
   * A policy by name.
   *
   * @param name e.g. {@code hi-dlr-paper}
   * @return the policy
   * @throws IllegalArgumentException naming the known policies if there is none
   */
  public static Policy named(String name) {
    for (Policy policy : all()) {
      if (policy.name().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new IllegalArgumentException("unknown policy \"" + name + "\"; known policies: "
        + all().stream().map(Policy::name).toList());
  }

  /**
   * The tuner configuration for one run.
   *
   * @param initialRate {@code η0}
   * @param probeEvery {@code Φ}
   * @param steps the run's budget {@code T}, used by a decaying horizon
   * @return the configuration
   */
  public TunerConfig config(double initialRate, int probeEvery, long steps) {
    TunerConfig.Builder builder = preset.get().setInitialRate(initialRate)
        .optProbeEvery(probeEvery);
    if (horizon != Horizon.CONSTANT) {
      builder.optHorizon(horizon, steps);
    }
    return builder.build();
  }
}
