package io.github.hidlr.core.tuner;

import io.github.hidlr.core.probe.ProbeScheme;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable configuration of a {@link HiDlrTuner} (ALGORITHM.md §3–§5, §7). Built by a
 * validating {@link Builder}; every default lives in one constant of this class. Presets:
 * {@link #gen()}, {@link #hiDlr()}, {@link #cdat()}.
 *
 * <p>The rate applied to group {@code k} at step {@code t} is
 * {@code η_k(t) = s(t) · σ · ê_k}, where {@code ê_k} is refreshed every {@code Φ} steps from
 * the fitted parabola: candidate {@code c_k = b_k / a_k}, clipped to
 * {@code [ê_k / ρ, ρ ê_k]}, smoothed {@code ê_k ← γ ê_k + (1 − γ) c_k}, bounded to
 * {@code [η_min, η_max]}.
 */
public final class TunerConfig {

  /** Default probe scheme: SYMMETRIC. */
  public static final ProbeScheme.Kind DEFAULT_SCHEME = ProbeScheme.Kind.SYMMETRIC;
  /** Default REGRESSION probe count: 0, meaning {@code 4K}. */
  public static final int DEFAULT_REGRESSION_PROBES = 0;
  /** Default minimum {@code R²} for a REGRESSION fit to count. */
  public static final double DEFAULT_R2_MIN = 0.9;
  /** Default clip factor {@code ρ}. */
  public static final double DEFAULT_CLIP = 2;
  /** Default rate smoothing {@code γ}. */
  public static final double DEFAULT_SMOOTHING = 0.9;
  /** Default moment smoothing {@code β} of the CDAT variant. */
  public static final double DEFAULT_MOMENT_SMOOTHING = 0.9;
  /** Default edge factor {@code σ} (greedy). */
  public static final double DEFAULT_EDGE = 1;
  /** The CDAT edge factor {@code σ = 2}. */
  public static final double CDAT_EDGE = 2;
  /** Default probe period {@code Φ}. */
  public static final int DEFAULT_PROBE_EVERY = 1;
  /**
   * Default resolution guard in ulps of {@code L0}: a float32 mean over a batch carries
   * rounding noise of several ulps, and weights displaced by less than their own ulp do not
   * move at all, so fits whose curvature term is within 64 ulps are noise.
   */
  public static final double DEFAULT_RESOLUTION_ULPS = 64;
  /** Default seed of the REGRESSION designs. */
  public static final long DEFAULT_SEED = 0;

  /** Which preset a configuration started from, for reports. */
  public enum Preset {
    /** GeN: one group. */
    GEN,
    /** Hi-DLR with hidlr's default policy (the study's choice; docs/POLICY.md). */
    HI_DLR,
    /** Hi-DLR exactly as the paper states it (ALGORITHM.md §4). */
    PAPER,
    /** CDAT: on the edge of stability, moment EMA. */
    CDAT,
    /** Built from scratch. */
    CUSTOM
  }

  private final Preset preset;
  private final double initialRate;
  private final Map<String, Double> initialRates;
  private final ProbeScheme.Kind scheme;
  private final int regressionProbes;
  private final double r2Min;
  private final double clip;
  private final Smoothing smoothing;
  private final double rateSmoothing;
  private final double momentSmoothing;
  private final double edge;
  private final Horizon horizon;
  private final long horizonSteps;
  private final double minRate;
  private final double maxRate;
  private final int probeEvery;
  private final double resolutionUlps;
  private final long seed;
  private final FreezePolicy freeze;
  private final JointScale jointScale;
  private final boolean uphillShrinks;
  private final boolean biasCorrection;

  private TunerConfig(Builder b) {
    this.preset = b.preset;
    this.initialRate = b.initialRate;
    this.initialRates = Collections.unmodifiableMap(new LinkedHashMap<>(b.initialRates));
    this.scheme = b.scheme;
    this.regressionProbes = b.regressionProbes;
    this.r2Min = b.r2Min;
    this.clip = b.clip;
    this.smoothing = b.smoothing;
    this.rateSmoothing = b.rateSmoothing;
    this.momentSmoothing = b.momentSmoothing;
    this.edge = b.edge;
    this.horizon = b.horizon;
    this.horizonSteps = b.horizonSteps;
    this.minRate = b.minRate;
    this.maxRate = b.maxRate;
    this.probeEvery = b.probeEvery;
    this.resolutionUlps = b.resolutionUlps;
    this.seed = b.seed;
    this.freeze = b.freeze;
    this.jointScale = b.jointScale;
    this.uphillShrinks = b.uphillShrinks;
    this.biasCorrection = b.biasCorrection;
  }

  /**
   * The two-sided joint scale (see {@link Builder#optJointScale}); anything but
   * {@link JointScale#OFF} spends two more forward passes per probe.
   *
   * @return the mode
   */
  public JointScale jointScale() {
    return jointScale;
  }

  /**
   * Whether a fit whose slope says the direction goes uphill lowers the rate (see {@link
   * Builder#optUphillShrinks}).
   *
   * @return true when enabled
   */
  public boolean uphillShrinks() {
    return uphillShrinks;
  }

  /**
   * Whether the rate EMA corrects its initialisation bias (see {@link
   * Builder#optBiasCorrection}).
   *
   * @return true when enabled
   */
  public boolean biasCorrection() {
    return biasCorrection;
  }

  /**
   * A builder with every default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(Preset.CUSTOM);
  }

  /**
   * GeN (Bu &amp; Xu 2024, the generalized Newton's method): the tuner for one group with
   * the reference defaults, SYMMETRIC probing, {@code ρ = 2}, {@code γ = 0.9}. A tuner built
   * from it rejects layouts of more than one group.
   *
   * @return a builder with the preset applied
   */
  public static Builder gen() {
    return new Builder(Preset.GEN);
  }

  /**
   * Hi-DLR with hidlr's default policy for mini-batch training: the paper's diagonal rule
   * ({@link #paper()}) plus the safeguards the policy study chose (docs/POLICY.md): the rate
   * smoothed in log space ({@link Smoothing#LOG_RATE_EMA}, so that noisy fits do not ratchet it
   * up) with its initialisation bias corrected ({@link Builder#optBiasCorrection}, so that
   * {@code η0} does not hold it back), the two-sided joint scale
   * ({@link Builder#optJointScale}) and uphill fits that lower the rate
   * ({@link Builder#optUphillShrinks}). Costs {@code 2K + 3} forward passes
   * per probe. When the run's length {@code T} is known, add the cooldown the study chose with
   * it: {@code optHorizon(Horizon.COOLDOWN, T)}.
   *
   * @return a builder with the preset applied
   */
  public static Builder hiDlr() {
    return new Builder(Preset.HI_DLR).optJointScale(JointScale.SMOOTHED).optUphillShrinks(true)
        .optSmoothing(Smoothing.LOG_RATE_EMA).optBiasCorrection(true);
  }

  /**
   * Hi-DLR exactly as the paper states it (Xu, Bu, Zhang &amp; Barnett; ALGORITHM.md §4): one
   * rate per group, the diagonal rule {@code η_k* = b_k / a_k}, SYMMETRIC probing,
   * {@code ρ = 2}, {@code γ = 0.9}, an invalid fit keeps the previous rate; {@code 2K + 1}
   * forward passes per probe. Kept so that reproductions show what the paper does.
   *
   * @return a builder with the preset applied
   */
  public static Builder paper() {
    return new Builder(Preset.PAPER);
  }

  /**
   * Fixed rates that are never probed, with no forward pass spent: the paper's configuration
   * with the clip {@code ρ = 1}, which pins every candidate to the current rate, so the rate of
   * group {@code k} stays its initial rate ({@link Builder#optInitialRate(String, double)}; the
   * hand-set differential rates of LoRA+, {@code η_B = 16 η_A}, or a manual DLR), times the
   * horizon's scale when one is given ({@link Builder#optHorizon}: a linear or cosine schedule).
   *
   * @return a builder with {@code ρ = 1} and no probing period
   */
  public static Builder fixed() {
    return paper().optClip(1).optProbeEvery(Integer.MAX_VALUE);
  }

  /**
   * CDAT (Roulet et al. 2024, "Stepping on the Edge"): {@code σ = 2}, the edge of stability
   * of the quadratic model, with the moment EMA ({@code β = 0.9}).
   *
   * @return a builder with the preset applied
   */
  public static Builder cdat() {
    return new Builder(Preset.CDAT)
        .optEdge(CDAT_EDGE)
        .optSmoothing(Smoothing.MOMENT_EMA);
  }

  /**
   * The preset this configuration started from.
   *
   * @return the preset
   */
  public Preset preset() {
    return preset;
  }

  /**
   * Initial estimate {@code η0} for groups without an override.
   *
   * @return {@code η0}
   */
  public double initialRate() {
    return initialRate;
  }

  /**
   * Initial estimates by group name, overriding {@link #initialRate()}.
   *
   * @return an unmodifiable map
   */
  public Map<String, Double> initialRates() {
    return initialRates;
  }

  /**
   * The initial estimate of a group.
   *
   * @param group group name
   * @return its override, or {@link #initialRate()}
   */
  public double initialRate(String group) {
    return initialRates.getOrDefault(group, initialRate);
  }

  /**
   * Whether no probe could change a rate or a group, so that a tuner never spends a forward
   * pass: a clip of {@code ρ = 1} pins every candidate, the joint scale and an uphill shrink to
   * the current estimate ({@link #fixed()}), and influence freezing is off.
   *
   * @return true for fixed rates
   */
  public boolean neverProbes() {
    return clip == 1 && !freeze.enabled();
  }

  /**
   * The probe scheme.
   *
   * @return the scheme kind
   */
  public ProbeScheme.Kind scheme() {
    return scheme;
  }

  /**
   * REGRESSION's probe count {@code M}; 0 means {@code 4K}.
   *
   * @return {@code M}
   */
  public int regressionProbes() {
    return regressionProbes;
  }

  /**
   * Minimum {@code R²} for a REGRESSION fit to be used.
   *
   * @return {@code r2Min}
   */
  public double r2Min() {
    return r2Min;
  }

  /**
   * Clip factor {@code ρ ≥ 1}; infinite disables clipping.
   *
   * @return {@code ρ}
   */
  public double clip() {
    return clip;
  }

  /**
   * How fits are averaged.
   *
   * @return the smoothing mode
   */
  public Smoothing smoothing() {
    return smoothing;
  }

  /**
   * Rate EMA factor {@code γ}.
   *
   * @return {@code γ}
   */
  public double rateSmoothing() {
    return rateSmoothing;
  }

  /**
   * Moment EMA factor {@code β}.
   *
   * @return {@code β}
   */
  public double momentSmoothing() {
    return momentSmoothing;
  }

  /**
   * Edge factor {@code σ}.
   *
   * @return {@code σ}
   */
  public double edge() {
    return edge;
  }

  /**
   * Horizon scale {@code s(t)}.
   *
   * @return the horizon
   */
  public Horizon horizon() {
    return horizon;
  }

  /**
   * Horizon length {@code T}; 0 for a constant horizon.
   *
   * @return {@code T}
   */
  public long horizonSteps() {
    return horizonSteps;
  }

  /**
   * Absolute lower bound {@code η_min} on {@code ê_k}.
   *
   * @return {@code η_min}
   */
  public double minRate() {
    return minRate;
  }

  /**
   * Absolute upper bound {@code η_max} on {@code ê_k}.
   *
   * @return {@code η_max}
   */
  public double maxRate() {
    return maxRate;
  }

  /**
   * Probe period {@code Φ}.
   *
   * @return {@code Φ}
   */
  public int probeEvery() {
    return probeEvery;
  }

  /**
   * Resolution guard in ulps of {@code L0}.
   *
   * @return the threshold
   */
  public double resolutionUlps() {
    return resolutionUlps;
  }

  /**
   * Seed of the REGRESSION designs.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The automatic freezing policy.
   *
   * @return the policy
   */
  public FreezePolicy freeze() {
    return freeze;
  }

  /**
   * Every setting as ordered key/value strings (the Tribuo idea: a run records the
   * configuration that produced it). {@link #fromMap} reads it back.
   *
   * @return an ordered, unmodifiable map
   */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("preset", preset.name());
    map.put("initialRate", Double.toString(initialRate));
    initialRates.forEach((group, rate) -> map.put("initialRate." + group, Double.toString(rate)));
    map.put("scheme", scheme.name());
    map.put("regressionProbes", Integer.toString(regressionProbes));
    map.put("r2Min", Double.toString(r2Min));
    map.put("clip", Double.toString(clip));
    map.put("smoothing", smoothing.name());
    map.put("rateSmoothing", Double.toString(rateSmoothing));
    map.put("momentSmoothing", Double.toString(momentSmoothing));
    map.put("edge", Double.toString(edge));
    map.put("horizon", horizon.name());
    map.put("horizonSteps", Long.toString(horizonSteps));
    map.put("minRate", Double.toString(minRate));
    map.put("maxRate", Double.toString(maxRate));
    map.put("probeEvery", Integer.toString(probeEvery));
    map.put("resolutionUlps", Double.toString(resolutionUlps));
    map.put("seed", Long.toString(seed));
    map.put("freezeThreshold", Double.toString(freeze.threshold()));
    map.put("freezeWarmupSteps", Long.toString(freeze.warmupSteps()));
    map.put("freezePatience", Integer.toString(freeze.patience()));
    map.put("jointScale", jointScale.name());
    map.put("uphillShrinks", Boolean.toString(uphillShrinks));
    map.put("biasCorrection", Boolean.toString(biasCorrection));
    return Collections.unmodifiableMap(map);
  }

  /**
   * Reads a configuration written by {@link #toMap()}; missing keys take their defaults, and
   * the result is validated like any built configuration.
   *
   * @param map key/value strings
   * @return the configuration
   * @throws IllegalArgumentException for an unknown key or an unparsable value
   */
  public static TunerConfig fromMap(Map<String, String> map) {
    Builder b = new Builder(Preset.CUSTOM);
    for (Map.Entry<String, String> entry : map.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      try {
        if (key.startsWith("initialRate.")) {
          b.optInitialRate(key.substring("initialRate.".length()), Double.parseDouble(value));
          continue;
        }
        switch (key) {
          case "preset" -> b.preset = Preset.valueOf(value);
          case "initialRate" -> b.setInitialRate(Double.parseDouble(value));
          case "scheme" -> b.optScheme(ProbeScheme.Kind.valueOf(value));
          case "regressionProbes" -> b.optRegressionProbes(Integer.parseInt(value));
          case "r2Min" -> b.optR2Min(Double.parseDouble(value));
          case "clip" -> b.optClip(Double.parseDouble(value));
          case "smoothing" -> b.optSmoothing(Smoothing.valueOf(value));
          case "rateSmoothing" -> b.optRateSmoothing(Double.parseDouble(value));
          case "momentSmoothing" -> b.optMomentSmoothing(Double.parseDouble(value));
          case "edge" -> b.optEdge(Double.parseDouble(value));
          case "horizon" -> b.horizon = Horizon.valueOf(value);
          case "horizonSteps" -> b.horizonSteps = Long.parseLong(value);
          case "minRate" -> b.minRate = Double.parseDouble(value);
          case "maxRate" -> b.maxRate = Double.parseDouble(value);
          case "probeEvery" -> b.optProbeEvery(Integer.parseInt(value));
          case "resolutionUlps" -> b.optResolutionUlps(Double.parseDouble(value));
          case "seed" -> b.optSeed(Long.parseLong(value));
          case "freezeThreshold" -> b.freezeThreshold = Double.parseDouble(value);
          case "freezeWarmupSteps" -> b.freezeWarmup = Long.parseLong(value);
          case "freezePatience" -> b.freezePatience = Integer.parseInt(value);
          case "jointScale" -> b.optJointScale(JointScale.valueOf(value));
          case "uphillShrinks" -> b.optUphillShrinks(parseBoolean(value));
          case "biasCorrection" -> b.optBiasCorrection(parseBoolean(value));
          default -> throw new IllegalArgumentException("unknown configuration key \"" + key
              + "\"; known keys: " + builder().setInitialRate(1).build().toMap().keySet());
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "configuration key \"" + key + "\" has unparsable value \"" + value + "\"", e);
      }
    }
    b.optFreeze(new FreezePolicy(b.freezeThreshold, b.freezeWarmup, b.freezePatience));
    return b.build();
  }

  private static boolean parseBoolean(String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new NumberFormatException("not true or false: " + value);
    }
    return Boolean.parseBoolean(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TunerConfig that && toMap().equals(that.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "TunerConfig" + toMap();
  }

  /**
   * Validating builder in the DJL style: {@code setX} is required, {@code optX} optional.
   * Every argument is checked in the setter and the combination in {@link #build()}; the
   * built configuration shares no mutable state with the builder.
   */
  public static final class Builder {
    private Preset preset;
    private double initialRate = Double.NaN;
    private final Map<String, Double> initialRates = new LinkedHashMap<>();
    private ProbeScheme.Kind scheme = DEFAULT_SCHEME;
    private int regressionProbes = DEFAULT_REGRESSION_PROBES;
    private double r2Min = DEFAULT_R2_MIN;
    private double clip = DEFAULT_CLIP;
    private Smoothing smoothing = Smoothing.RATE_EMA;
    private double rateSmoothing = DEFAULT_SMOOTHING;
    private double momentSmoothing = DEFAULT_MOMENT_SMOOTHING;
    private double edge = DEFAULT_EDGE;
    private Horizon horizon = Horizon.CONSTANT;
    private long horizonSteps;
    private double minRate;
    private double maxRate = Double.POSITIVE_INFINITY;
    private int probeEvery = DEFAULT_PROBE_EVERY;
    private double resolutionUlps = DEFAULT_RESOLUTION_ULPS;
    private long seed = DEFAULT_SEED;
    private FreezePolicy freeze = FreezePolicy.disabled();
    private double freezeThreshold;
    private long freezeWarmup;
    private int freezePatience = 1;
    private JointScale jointScale = JointScale.OFF;
    private boolean uphillShrinks;
    private boolean biasCorrection;

    private Builder(Preset preset) {
      this.preset = preset;
    }

    /**
     * Sets the initial estimate {@code η0} of every group (required): the rate used until
     * the first valid fit, and the first probe size.
     *
     * @param rate finite, {@code > 0}
     * @return this builder
     */
    public Builder setInitialRate(double rate) {
      this.initialRate = positive("initialRate η0", rate);
      return this;
    }

    /**
     * Overrides the initial estimate of one group, by name.
     *
     * @param group the group's name; checked against the layout when the tuner is created
     * @param rate finite, {@code > 0}
     * @return this builder
     */
    public Builder optInitialRate(String group, double rate) {
      Objects.requireNonNull(group, "group");
      initialRates.put(group, positive("initialRate of group \"" + group + "\"", rate));
      return this;
    }

    /**
     * Sets the probe scheme (default SYMMETRIC).
     *
     * @param kind the scheme
     * @return this builder
     */
    public Builder optScheme(ProbeScheme.Kind kind) {
      this.scheme = Objects.requireNonNull(kind, "scheme");
      return this;
    }

    /**
     * Sets REGRESSION's probe count {@code M}; 0 means {@code 4K}. Checked against
     * {@code 2K + 1} when the tuner is created.
     *
     * @param probes {@code M ≥ 0}
     * @return this builder
     */
    public Builder optRegressionProbes(int probes) {
      if (probes < 0) {
        throw new IllegalArgumentException("regressionProbes M = " + probes
            + " must be ≥ 2K + 1, or 0 for the default 4K");
      }
      this.regressionProbes = probes;
      return this;
    }

    /**
     * Sets the minimum {@code R²} of a usable REGRESSION fit (default 0.9).
     *
     * @param value in {@code [0, 1]}
     * @return this builder
     */
    public Builder optR2Min(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("r2Min = " + value + " must be in [0, 1]");
      }
      this.r2Min = value;
      return this;
    }

    /**
     * Sets the clip factor {@code ρ} (default 2): a candidate is clamped to
     * {@code [ê/ρ, ρ ê]}.
     *
     * @param rho {@code ≥ 1}, or {@link Double#POSITIVE_INFINITY} to disable clipping
     * @return this builder
     */
    public Builder optClip(double rho) {
      if (!(rho >= 1)) {
        throw new IllegalArgumentException("clip ρ = " + rho
            + " must be ≥ 1 (use Double.POSITIVE_INFINITY to disable clipping)");
      }
      this.clip = rho;
      return this;
    }

    /**
     * Sets how fits are averaged (default rate EMA).
     *
     * @param mode the smoothing mode
     * @return this builder
     */
    public Builder optSmoothing(Smoothing mode) {
      this.smoothing = Objects.requireNonNull(mode, "smoothing");
      return this;
    }

    /**
     * Sets the rate EMA factor {@code γ} (default 0.9); 0 uses each fit as is.
     *
     * @param gamma in {@code [0, 1)}
     * @return this builder
     */
    public Builder optRateSmoothing(double gamma) {
      this.rateSmoothing = unitInterval("rateSmoothing γ", gamma);
      return this;
    }

    /**
     * Sets the moment EMA factor {@code β} of the CDAT variant (default 0.9).
     *
     * @param beta in {@code [0, 1)}
     * @return this builder
     */
    public Builder optMomentSmoothing(double beta) {
      this.momentSmoothing = unitInterval("momentSmoothing β", beta);
      return this;
    }

    /**
     * Sets the edge factor {@code σ} (1 greedy, 2 the edge of stability).
     *
     * @param sigma finite, {@code > 0}
     * @return this builder
     */
    public Builder optEdge(double sigma) {
      this.edge = positive("edge σ", sigma);
      return this;
    }

    /**
     * Sets a decaying horizon scale {@code s(t)} over {@code T} steps.
     *
     * @param kind LINEAR or COSINE ({@code T} is ignored for CONSTANT)
     * @param steps {@code T ≥ 1}
     * @return this builder
     */
    public Builder optHorizon(Horizon kind, long steps) {
      Objects.requireNonNull(kind, "horizon");
      if (kind != Horizon.CONSTANT && steps < 1) {
        throw new IllegalArgumentException(
            "horizon " + kind + " needs T ≥ 1 steps, got " + steps);
      }
      this.horizon = kind;
      this.horizonSteps = kind == Horizon.CONSTANT ? 0 : steps;
      return this;
    }

    /**
     * Sets absolute bounds {@code [η_min, η_max]} on the estimates.
     *
     * @param min {@code ≥ 0}
     * @param max {@code > min}, possibly infinite
     * @return this builder
     */
    public Builder optRateBounds(double min, double max) {
      if (!(min >= 0) || !Double.isFinite(min) || !(max > min)) {
        throw new IllegalArgumentException("rate bounds [" + min + ", " + max
            + "] must satisfy 0 ≤ η_min < η_max (η_max may be infinite)");
      }
      this.minRate = min;
      this.maxRate = max;
      return this;
    }

    /**
     * Sets the probe period {@code Φ} (default 1: probe every step).
     *
     * @param steps {@code Φ ≥ 1}
     * @return this builder
     */
    public Builder optProbeEvery(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("probeEvery Φ = " + steps
            + " must be ≥ 1 (1 probes every step, 4 every fourth)");
      }
      this.probeEvery = steps;
      return this;
    }

    /**
     * Sets the resolution guard in ulps of {@code L0} (default 64).
     *
     * @param ulps finite, {@code ≥ 0}
     * @return this builder
     */
    public Builder optResolutionUlps(double ulps) {
      if (!(ulps >= 0) || !Double.isFinite(ulps)) {
        throw new IllegalArgumentException("resolutionUlps = " + ulps + " must be finite and ≥ 0");
      }
      this.resolutionUlps = ulps;
      return this;
    }

    /**
     * Sets the seed of the REGRESSION designs.
     *
     * @param value any seed
     * @return this builder
     */
    public Builder optSeed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * Sets the automatic freezing policy (default: disabled).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder optFreeze(FreezePolicy policy) {
      this.freeze = Objects.requireNonNull(policy, "freeze");
      this.freezeThreshold = policy.threshold();
      this.freezeWarmup = policy.warmupSteps();
      this.freezePatience = policy.patience();
      return this;
    }

    /**
     * The two-sided joint scale (an hidlr addition, ALGORITHM.md §4b; on in {@link
     * TunerConfig#hiDlr()}, off in {@link TunerConfig#paper()}). The diagonal rule sets each
     * group's rate as if the others stayed put and, in mini-batch training, accepts noisy
     * fits selectively; both errors show up along the combined step
     * {@code D = Σ_k ê_k d_(k)}. After the per-group update, two more forward passes on the
     * same probe batch give {@code L⁺ = L(w − D)}, {@code L⁻ = L(w + D)}, the slope
     * {@code g = (L⁻ − L⁺) / 2}, the curvature {@code c = L⁺ + L⁻ − 2 L0}, and the line
     * search's optimum {@code α* = g / c}; every estimate is multiplied by
     * {@code clamp(α*, 1/ρ, ρ)} ({@code α* = 1} when {@code g ≤ 0} or {@code c} is not
     * resolved, {@code ½} on a non-finite loss). On a quadratic,
     * {@code α* = Σ b_k ê_k / (êᵀ A ê)}: exactly 1 when {@code A} is diagonal and
     * {@code ê_k = b_k / a_k}, the exact line search along {@code D} otherwise. Measured at
     * {@code ê}, not at the applied {@code s(t) σ ê}, so the edge factor and the horizon are
     * kept. Cost: {@code 2K + 3} forward passes per probe instead of {@code 2K + 1}. With
     * {@link JointScale#SMOOTHED} the factor is smoothed like a candidate,
     * {@code ê_k ← ê_k (γ + (1 − γ) clamp(α*, 1/ρ, ρ))}; {@link JointScale#DIRECT} applies it
     * at once; {@link JointScale#CANDIDATE} line-searches along the clipped candidates before
     * the EMA.
     *
     * @param mode OFF, DIRECT, SMOOTHED or CANDIDATE
     * @return this builder
     */
    public Builder optJointScale(JointScale mode) {
      this.jointScale = java.util.Objects.requireNonNull(mode, "joint scale mode");
      return this;
    }

    /**
     * Uphill fits lower the rate (an hidlr addition, on in {@link TunerConfig#hiDlr()}, off in
     * {@link TunerConfig#paper()}). The paper keeps the rate when a fit has {@code b_k ≤ 0};
     * in mini-batch training that makes acceptance one-sided, since a noisy fit with
     * {@code b_k > 0} may raise the rate but no fit can lower it, so rates ratchet upward.
     * With this option a resolved fit with {@code b_k ≤ 0} (the direction does not descend
     * on a fresh batch: the greedy rate is 0) counts as the candidate {@code 0}, which the
     * clip turns into {@code ê_k / ρ}; smoothed, the rate falls by {@code (1 − γ)(1 − 1/ρ)}
     * (5% with the defaults), so the probe size shrinks only geometrically and a later
     * descending fit can double it back. No extra forward pass.
     *
     * @param enabled whether uphill fits lower the rate
     * @return this builder
     */
    public Builder optUphillShrinks(boolean enabled) {
      this.uphillShrinks = enabled;
      return this;
    }

    /**
     * The rate EMA corrects its initialisation bias, as Adam corrects its moments (an hidlr
     * addition, on in {@link TunerConfig#hiDlr()}, off in the other presets). The EMA {@code ê_n =
     * γ ê_(n−1) + (1 − γ) c_n} (in log space for {@link Smoothing#LOG_RATE_EMA}) starts from {@code
     * η0} as if {@code η0} were the average of infinitely many earlier fits: after {@code n} probes
     * {@code η0} still weighs {@code γ^n} (0.35 after 10 probes with {@code γ = 0.9}), so a rate
     * that starts 10× off needs dozens of probes to get there (a short run may end before). With
     * the correction the weight of the {@code n}-th observation is {@code (1 − γ)/(1 − γ^n)}
     * instead of {@code 1 − γ}: the first fit is taken whole (still clipped to {@code [ê/ρ, ρ ê]}),
     * and the weights tend to {@code 1 − γ} as {@code n} grows; while no fit is clipped or rejected
     * the estimate is exactly the EMA of the fits alone, {@code η0} not counted. With the smoothed
     * joint scale, its factor is taken whole at the first probe too, so the first probe may move a
     * rate by up to {@code ρ²}. It applies to every smoothed move of a probe (the fit, the smoothed
     * joint scale, an uphill shrink), with {@code n} the number of probes so far; not to {@link
     * Smoothing#MOMENT_EMA}. No extra forward pass.
     *
     * @param enabled whether the rate EMA corrects its initialisation bias
     * @return this builder
     */
    public Builder optBiasCorrection(boolean enabled) {
      this.biasCorrection = enabled;
      return this;
    }

    /**
     * Validates the combination and builds.
     *
     * @return the configuration
     */
    public TunerConfig build() {
      if (Double.isNaN(initialRate)) {
        throw new IllegalArgumentException(
            "initialRate η0 is required: call setInitialRate(η0), e.g. 1e-3");
      }
      if (horizon != Horizon.CONSTANT && horizonSteps < 1) {
        throw new IllegalArgumentException(
            "horizon " + horizon + " needs T ≥ 1 steps, got " + horizonSteps);
      }
      if (!(minRate >= 0) || !(maxRate > minRate)) {
        throw new IllegalArgumentException("rate bounds [" + minRate + ", " + maxRate
            + "] must satisfy 0 ≤ η_min < η_max");
      }
      checkWithinBounds("initialRate η0", initialRate);
      initialRates.forEach((group, rate) ->
          checkWithinBounds("initialRate of group \"" + group + "\"", rate));
      if (smoothing == Smoothing.MOMENT_EMA && jointScale == JointScale.CANDIDATE) {
        throw new IllegalArgumentException("the CANDIDATE joint scale corrects the rate EMA's"
            + " candidates: use it with Smoothing.RATE_EMA, or DIRECT/SMOOTHED with MOMENT_EMA");
      }
      if (smoothing == Smoothing.MOMENT_EMA && biasCorrection) {
        throw new IllegalArgumentException("bias correction applies to the rate EMA (RATE_EMA"
            + " or LOG_RATE_EMA), not to the moment EMA (CDAT): turn one of them off");
      }
      if (smoothing == Smoothing.MOMENT_EMA && scheme == ProbeScheme.Kind.FULL) {
        throw new IllegalArgumentException("the moment EMA (CDAT) averages the diagonal a_k,"
            + " b_k only: use scheme SYMMETRIC or REGRESSION with it, or RATE_EMA with FULL");
      }
      return new TunerConfig(this);
    }

    private void checkWithinBounds(String what, double rate) {
      if (rate < minRate || rate > maxRate) {
        throw new IllegalArgumentException(what + " = " + rate + " lies outside the rate bounds ["
            + minRate + ", " + maxRate + "]: move it inside or widen the bounds");
      }
    }

    private static double positive(String what, double value) {
      if (!(value > 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(what + " = " + value + " must be finite and > 0");
      }
      return value;
    }

    private static double unitInterval(String what, double value) {
      if (!(value >= 0 && value < 1)) {
        throw new IllegalArgumentException(what + " = " + value + " must be in [0, 1)");
      }
      return value;
    }
  }
}
