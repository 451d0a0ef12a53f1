package io.github.hidlr.cli.training;

import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.JointScale;
import io.github.hidlr.core.tuner.Smoothing;
import io.github.hidlr.core.tuner.TunerConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

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

  /** The library's default, {@link TunerConfig#hiDlr()}. */
  public static final Policy DEFAULT = new Policy("hi-dlr",
      "paper + smoothed joint scale + uphill fits shrink", TunerConfig::hiDlr,
      Horizon.CONSTANT);
  /** The paper's own rule, {@link TunerConfig#paper()}. */
  public static final Policy PAPER = new Policy("hi-dlr-paper",
      "the paper's rule (ALGORITHM.md §4)", TunerConfig::paper, Horizon.CONSTANT);
  /** The default with the joint scale applied at once instead of smoothed (study variant). */
  public static final Policy DIRECT = new Policy("hi-dlr-direct",
      "paper + direct joint scale + uphill fits shrink",
      () -> TunerConfig.paper().optJointScale(JointScale.DIRECT).optUphillShrinks(true),
      Horizon.CONSTANT);
  /** The joint line search on the candidates before the EMA, with uphill shrink (variant). */
  public static final Policy CANDIDATE = new Policy("hi-dlr-candidate",
      "paper + joint line search on the candidates + uphill fits shrink",
      () -> TunerConfig.paper().optJointScale(JointScale.CANDIDATE).optUphillShrinks(true),
      Horizon.CONSTANT);
  /** {@link #CANDIDATE} with a cosine horizon over the budget (study variant). */
  public static final Policy CANDIDATE_COSINE = new Policy("candidate-cosine",
      "hi-dlr-candidate + cosine horizon over the budget",
      () -> TunerConfig.paper().optJointScale(JointScale.CANDIDATE).optUphillShrinks(true),
      Horizon.COSINE);
  /** The paper's rule with the smoothed joint scale only (study variant). */
  public static final Policy JOINT_ONLY = new Policy("joint-only",
      "paper + smoothed joint scale",
      () -> TunerConfig.paper().optJointScale(JointScale.SMOOTHED), Horizon.CONSTANT);
  /** The paper's rule with uphill fits lowering the rate only (study variant). */
  public static final Policy UPHILL_ONLY = new Policy("uphill-only",
      "paper + uphill fits shrink", () -> TunerConfig.paper().optUphillShrinks(true),
      Horizon.CONSTANT);
  /** The default with a cosine horizon over the budget (study variant). */
  public static final Policy DEFAULT_COSINE = new Policy("hi-dlr-cosine",
      "default + cosine horizon over the budget", TunerConfig::hiDlr, Horizon.COSINE);

  /** The default with a linear cooldown over the last fifth of the budget (study variant). */
  public static final Policy DEFAULT_COOLDOWN = new Policy("hi-dlr-cooldown",
      "default + cooldown over the last fifth of the budget", TunerConfig::hiDlr,
      Horizon.COOLDOWN);
  /** The default, probing on held-out training data (study variant). */
  public static final Policy HELD_OUT = new Policy("hi-dlr-heldout",
      "default + probes on a held-out tenth of the training data", TunerConfig::hiDlr,
      Horizon.CONSTANT, ProbeSource.HELD_OUT);
  /** {@link #HELD_OUT} with the cooldown (study variant). */
  public static final Policy HELD_OUT_COOLDOWN = new Policy("heldout-cooldown",
      "default + held-out probes + cooldown over the last fifth", TunerConfig::hiDlr,
      Horizon.COOLDOWN, ProbeSource.HELD_OUT);

  /** The default with the rate smoothed in log space (study variant). */
  public static final Policy LOG = new Policy("hi-dlr-log",
      "default + EMA of the log-rate", () -> TunerConfig.hiDlr()
          .optSmoothing(Smoothing.LOG_RATE_EMA), Horizon.CONSTANT);
  /** {@link #LOG} with the cooldown (study variant). */
  public static final Policy LOG_COOLDOWN = new Policy("log-cooldown",
      "default + EMA of the log-rate + cooldown over the last fifth", () -> TunerConfig.hiDlr()
          .optSmoothing(Smoothing.LOG_RATE_EMA), Horizon.COOLDOWN);

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
    return List.of(DEFAULT, PAPER, DIRECT, JOINT_ONLY, UPHILL_ONLY, DEFAULT_COSINE, CANDIDATE,
        CANDIDATE_COSINE, DEFAULT_COOLDOWN, HELD_OUT, HELD_OUT_COOLDOWN, LOG, LOG_COOLDOWN);
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
