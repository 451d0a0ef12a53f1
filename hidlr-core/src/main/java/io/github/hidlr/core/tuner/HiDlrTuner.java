package io.github.hidlr.core.tuner;

import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.linalg.Cholesky;
import io.github.hidlr.core.probe.LossPrecision;
import io.github.hidlr.core.probe.LossProbe;
import io.github.hidlr.core.probe.ProbePlan;
import io.github.hidlr.core.probe.ProbeScheme;
import io.github.hidlr.core.probe.QuadraticFit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Hi-DLR learning-rate tuner (Xu, Bu, Zhang &amp; Barnett; ALGORITHM.md §2–§5, §7): one
 * learning rate per parameter group, chosen by minimising a second-order model of the next
 * loss along the base optimizer's direction {@code d}.
 *
 * <p>Every {@code Φ} steps it probes the loss through a {@link LossProbe}, fits
 * {@code L(w − Σ ξ_k d_(k)) ≈ L0 − Σ b_k ξ_k + ½ Σ A_jk ξ_j ξ_k}, and moves each estimate
 * toward the greedy optimum {@code η_k* = b_k / a_k} (FULL: {@code η* = A⁻¹ b}); invalid fits
 * keep the previous estimate; non-finite losses halve every estimate. The applied rate is
 * {@code η_k(t) = s(t) σ ê_k}. With one group it is GeN (Bu &amp; Xu 2024); with
 * {@code σ = 2} and the moment EMA it is CDAT (Roulet et al. 2024).
 *
 * <p>Typical use, once per training step after the base optimizer produced {@code d}:
 * <pre>{@code
 * StepResult r = tuner.step(displacement -> lossAt(w - Σ displacement[k] d_k));
 * apply(r.rates());
 * }</pre>
 * Not thread-safe.
 */
public final class HiDlrTuner {

  /** Factor by which an unresolved group's probe size grows. */
  static final double PROBE_GROWTH = 4;
  /** Largest ratio {@code h_k / ê_k}. */
  static final double MAX_PROBE_SCALE = 1024;
  /** How far above the guard a curvature term must be for the probe size to shrink back. */
  static final double RESOLVED_MARGIN = 256;

  private final TunerConfig config;
  private final GroupLayout layout;
  private final int groupCount;
  private long step;
  private long probes;
  private final double[] estimates;
  private final double[] momentA;
  private final double[] momentB;
  private final double[] probeScale;
  private final boolean[] frozen;
  private final int[] lowInfluenceStreak;
  private ProbeScheme scheme;
  private int[] active;

  private HiDlrTuner(TunerConfig config, GroupLayout layout) {
    this.config = config;
    this.layout = layout;
    this.groupCount = layout.size();
    this.estimates = new double[groupCount];
    this.momentA = new double[groupCount];
    this.momentB = new double[groupCount];
    this.probeScale = new double[groupCount];
    java.util.Arrays.fill(probeScale, 1);
    this.frozen = new boolean[groupCount];
    this.lowInfluenceStreak = new int[groupCount];
    for (int k = 0; k < groupCount; k++) {
      estimates[k] = config.initialRate(layout.group(k).name());
    }
    refreshActive();
  }

  /**
   * A tuner for these groups.
   *
   * @param config the configuration
   * @param layout the groups
   * @return a tuner at step 0 with every estimate at its initial rate
   * @throws IllegalArgumentException if a per-group initial rate names an unknown group, the
   *     GeN preset meets more than one group, or REGRESSION's {@code M < 2K + 1}
   */
  public static HiDlrTuner create(TunerConfig config, GroupLayout layout) {
    if (config.preset() == TunerConfig.Preset.GEN && layout.size() != 1) {
      throw new IllegalArgumentException("the GeN preset tunes one uniform rate but the layout"
          + " has " + layout.size() + " groups " + layout.names()
          + ": use a single group (GroupLayout.single) or TunerConfig.hiDlr()");
    }
    for (String group : config.initialRates().keySet()) {
      layout.indexOf(group);
    }
    if (config.scheme() == ProbeScheme.Kind.REGRESSION && config.regressionProbes() != 0
        && config.regressionProbes() < 2 * layout.size() + 1) {
      throw new IllegalArgumentException("regressionProbes M = " + config.regressionProbes()
          + " is below 2K + 1 = " + (2 * layout.size() + 1) + " for the " + layout.size()
          + " groups " + layout.names() + ": raise M or use 0 for the default 4K");
    }
    return new HiDlrTuner(config, layout);
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public TunerConfig config() {
    return config;
  }

  /**
   * The groups.
   *
   * @return the layout
   */
  public GroupLayout layout() {
    return layout;
  }

  /**
   * The next step {@code t}.
   *
   * @return {@code t}
   */
  public long stepCount() {
    return step;
  }

  /**
   * Whether the current step probes: {@code t mod Φ = 0}, unless no probe could change
   * anything (a clip of {@code ρ = 1} without influence freezing: fixed rates never probe).
   *
   * @return true on probing steps
   */
  public boolean isProbeStep() {
    return step % config.probeEvery() == 0 && !config.neverProbes();
  }

  /**
   * Forward passes the next probe will cost (over the groups still trained).
   *
   * @return {@code P}
   */
  public int forwardPassesPerProbe() {
    return scheme.forwardPasses() + (config.jointScale() != JointScale.OFF ? 2 : 0);
  }

  /**
   * The unscaled estimates {@code ê_k}.
   *
   * @return a copy
   */
  public double[] estimates() {
    return estimates.clone();
  }

  /**
   * Which groups were frozen by influence.
   *
   * @return a copy of the flags
   */
  public boolean[] frozen() {
    return frozen.clone();
  }

  /**
   * The rates for the current step: {@code η_k(t) = s(t) σ ê_k}, and 0 for frozen groups.
   *
   * @return one rate per group
   */
  public double[] learningRates() {
    double scale = config.horizon().scale(step, config.horizonSteps()) * config.edge();
    double[] rates = new double[groupCount];
    for (int k = 0; k < groupCount; k++) {
      rates[k] = frozen[k] ? 0 : scale * estimates[k];
    }
    return rates;
  }

  /**
   * One training step: probes if {@link #isProbeStep()}, returns the rates for step
   * {@code t}, and advances to {@code t + 1}.
   *
   * @param probe the loss along the current direction
   * @return the rates and, on probing steps, the report
   */
  public StepResult step(LossProbe probe) {
    Optional<ProbeReport> report = isProbeStep() ? Optional.of(probe(probe)) : Optional.empty();
    double[] rates = learningRates();
    long current = step;
    advance();
    return new StepResult(current, rates, report);
  }

  /** Moves to the next step without probing (for engines that drive the steps themselves). */
  public void advance() {
    step++;
  }

  /**
   * Probes now, whatever the step, and updates the estimates.
   *
   * @param probe the loss along the current direction
   * @return what the probe found
   */
  public ProbeReport probe(LossProbe probe) {
    TunerState snapshot = state();
    try {
      return probeOnce(probe);
    } catch (RuntimeException | Error e) {
      // A probe that fails part-way (the engine threw) must not leave half an update behind.
      restore(snapshot);
      throw e;
    }
  }

  private ProbeReport probeOnce(LossProbe probe) {
    int m = active.length;
    double[] probeSizes = new double[m];
    for (int i = 0; i < m; i++) {
      probeSizes[i] = estimates[active[i]] * probeScale[active[i]];
    }
    ProbePlan plan = scheme.plan(probeSizes, probes);
    double[][] displacements = new double[plan.forwardPasses()][];
    for (int j = 0; j < displacements.length; j++) {
      displacements[j] = scatter(plan.displacements()[j]);
    }
    double[] losses = probe.losses(displacements);
    if (losses.length != displacements.length) {
      throw new IllegalStateException("the loss probe returned " + losses.length
          + " losses for " + displacements.length + " displacements");
    }
    probes++;
    double[] before = estimates.clone();
    for (double loss : losses) {
      if (!Double.isFinite(loss)) {
        return halveAfterNonFiniteLoss(plan, losses, before);
      }
    }
    QuadraticFit fit = scheme.fit(plan, losses, probe.precision(), config.resolutionUlps());
    Rejection[] rejections = validate(fit);
    double[] candidates = new double[m];
    boolean fullSolve = candidates(fit, rejections, candidates);
    double[] joint = {Double.NaN, Double.NaN};
    if (config.jointScale() == JointScale.CANDIDATE) {
      joint = updateWithJointCandidates(probe, fit, rejections, candidates);
    }
    boolean updatedJointly = config.jointScale() == JointScale.CANDIDATE;
    for (int i = 0; i < m; i++) {
      int k = active[i];
      if (!updatedJointly && rejections[i] == null) {
        update(k, fit.a()[i], fit.b()[i], candidates[i]);
      } else if (!updatedJointly && uphill(fit.b()[i], rejections[i])) {
        shrinkUphill(k);
      }
      adaptProbeScale(k, rejections[i], fit.a()[i], plan.probeSizes()[i], fit.l0(),
          probe.precision());
    }
    if (config.jointScale() == JointScale.DIRECT || config.jointScale() == JointScale.SMOOTHED) {
      joint = jointScale(probe, fit.l0());
    }
    List<GroupProbe> reports = new ArrayList<>(m);
    double[] influence = new double[m];
    for (int i = 0; i < m; i++) {
      int k = active[i];
      double a = fit.a()[i];
      double b = fit.b()[i];
      double n = layout.group(k).size();
      boolean convex = a > 0 && Double.isFinite(a) && Double.isFinite(b);
      influence[i] = convex ? b * b / (a * n) : Double.NaN;
      reports.add(new GroupProbe(layout.group(k).name(), plan.probeSizes()[i], a, b, candidates[i],
          rejections[i] == null, rejections[i], before[k], estimates[k],
          convex ? b * b / (2 * a) : Double.NaN, influence[i]));
    }
    List<String> newlyFrozen = applyFreezePolicy(influence, rejections);
    int passes = losses.length + (config.jointScale() != JointScale.OFF ? 2 : 0);
    return new ProbeReport(step, config.scheme(), passes, fit.l0(), fit.rSquared(), false,
        fullSolve, reports, newlyFrozen, joint[0], joint[1]);
  }

  /**
   * The two-sided joint scale (ALGORITHM.md §4b; {@link TunerConfig.Builder#optJointScale}):
   * probes the combined step {@code D = Σ_k ê_k d_(k)} at {@code ±1}, takes
   * {@code g = (L⁻ − L⁺) / 2}, {@code c = L⁺ + L⁻ − 2 L0} and {@code α* = g / c}, and multiplies
   * every active estimate by {@code clamp(α*, 1/ρ, ρ)}; {@code α* = 1} when {@code g ≤ 0} or
   * {@code c} is not a resolved positive curvature, {@code ½} when a loss is not finite;
   * {@link JointScale#SMOOTHED} smooths a finite factor like a candidate. It is
   * measured at {@code ê}, without {@code σ} or {@code s(t)}, so that it corrects the estimate
   * and leaves the edge factor and the horizon as configured.
   *
   * @return {@code {L⁺, applied factor}}
   */
  private double[] jointScale(LossProbe probe, double l0) {
    double[] step = new double[active.length];
    for (int i = 0; i < active.length; i++) {
      step[i] = estimates[active[i]];
    }
    double[] search = lineSearch(probe, step, l0);
    double factor = search[1];
    boolean finite = Double.isFinite(search[0]) && Double.isFinite(search[2]);
    if (finite && config.jointScale() == JointScale.SMOOTHED) {
      factor = smoothed(factor);
    }
    if (factor != 1) {
      for (int k : active) {
        estimates[k] = bound(estimates[k] * factor);
        momentB[k] *= factor;
      }
    }
    return new double[] {search[0], factor};
  }

  private boolean uphill(double b, Rejection rejection) {
    return config.uphillShrinks() && b <= 0 && (rejection == Rejection.NON_POSITIVE_SLOPE
        || rejection == Rejection.NON_POSITIVE_CURVATURE);
  }

  /**
   * {@link JointScale#CANDIDATE}: the clipped per-group candidates {@code t_k} (the diagonal
   * rule's {@code clip(b_k / a_k)}; for an uphill fit the target that {@link #shrinkUphill}
   * would reach; else the current {@code ê_k}) form the step {@code D = Σ t_k d_(k)}; the line
   * search along it at {@code ±1} gives {@code α*} (as in {@link #jointScale}); then every
   * group moves by the paper's rule toward the corrected candidate,
   * {@code ê_k ← γ ê_k + (1 − γ) clip(α* t_k)}. The EMA's fixed point is then the
   * coupling-corrected candidate, and the joint probe's noise is averaged like the fits'.
   *
   * @return {@code {L⁺, α*}}
   */
  private double[] updateWithJointCandidates(LossProbe probe, QuadraticFit fit,
      Rejection[] rejections, double[] candidates) {
    int m = active.length;
    double weight = newWeight();
    double[] targets = new double[m];
    for (int i = 0; i < m; i++) {
      double current = estimates[active[i]];
      if (rejections[i] == null) {
        targets[i] = clip(candidates[i], current);
      } else if (uphill(fit.b()[i], rejections[i])) {
        targets[i] = config.smoothing() == Smoothing.LOG_RATE_EMA ? current / config.clip()
            : current * (uphillFactor() - oldWeight()) / weight;
      } else {
        targets[i] = current;
      }
    }
    double[] search = lineSearch(probe, targets, fit.l0());
    double alpha = search[1];
    for (int i = 0; i < m; i++) {
      int k = active[i];
      double target = clip(alpha * targets[i], estimates[k]);
      estimates[k] = bound(config.smoothing() == Smoothing.LOG_RATE_EMA
          ? estimates[k] * smoothed(target / estimates[k])
          : oldWeight() * estimates[k] + weight * target);
    }
    return new double[] {search[0], alpha};
  }

  /**
   * The line search along the step {@code D = Σ_k step_k d_(k)} (one entry per active group),
   * probed at {@code ±1} (two forward passes): {@code clamp(g / c, 1/ρ, ρ)} with
   * {@code g = (L⁻ − L⁺) / 2} and {@code c = L⁺ + L⁻ − 2 L0}; 1 when {@code g ≤ 0} or
   * {@code c} is not a resolved positive curvature; ½ when a loss is not finite.
   *
   * @return {@code {L⁺, factor, L⁻}}
   */
  private double[] lineSearch(LossProbe probe, double[] step, double l0) {
    double[] forward = scatter(step);
    double[] backward = new double[groupCount];
    for (int k = 0; k < groupCount; k++) {
      backward[k] = -forward[k];
    }
    double[] losses = probe.losses(new double[][] {forward, backward});
    double plus = losses[0];
    double minus = losses[1];
    double factor = 1;
    if (!Double.isFinite(plus) || !Double.isFinite(minus)) {
      factor = 0.5;
    } else {
      double slope = (minus - plus) / 2;
      double curvature = plus + minus - 2 * l0;
      if (slope > 0 && curvature > config.resolutionUlps() * probe.precision().ulp(l0)) {
        double rho = config.clip();
        factor = Math.min(Math.max(slope / curvature, 1 / rho), rho);
      }
    }
    return new double[] {plus, factor, minus};
  }

  /** The EMA factor of the configured smoothing: {@code γ}, or {@code β} for the moments. */
  private double smoothing() {
    return config.smoothing() == Smoothing.MOMENT_EMA ? config.momentSmoothing()
        : config.rateSmoothing();
  }

  /**
   * The weight of the current probe's observation in the rate EMA: {@code 1 − γ}, or with
   * {@link TunerConfig#biasCorrection()} {@code (1 − γ)/(1 − γ^n)} at the {@code n}-th probe
   * (1 at the first).
   */
  private double newWeight() {
    double gamma = smoothing();
    double weight = 1 - gamma;
    if (config.biasCorrection() && probes > 0) {
      weight /= 1 - Math.pow(gamma, probes);
    }
    return Math.min(weight, 1);
  }

  /**
   * The weight the rate EMA keeps on the current estimate: {@code γ}, or {@code 1 − w} with
   * bias correction ({@code γ} itself when it is off, so that the update is the paper's to the
   * bit for every {@code γ}).
   */
  private double oldWeight() {
    return config.biasCorrection() ? 1 - newWeight() : smoothing();
  }

  private double uphillFactor() {
    double weight = newWeight();
    double shrink = config.smoothing() == Smoothing.LOG_RATE_EMA ? smoothed(1 / config.clip())
        : oldWeight() + weight / config.clip();
    return Math.max(shrink, 0.5);
  }

  /**
   * The factor by which the estimate moves toward a target at {@code ratio × ê}:
   * {@code (1 − w) + w ratio}, or {@code ratio^w} for {@link Smoothing#LOG_RATE_EMA}, with
   * {@code w} the weight of the new observation ({@code 1 − γ} without bias correction, and
   * then {@code γ} itself in place of {@code 1 − w}).
   */
  private double smoothed(double ratio) {
    double weight = newWeight();
    return config.smoothing() == Smoothing.LOG_RATE_EMA ? Math.pow(ratio, weight)
        : oldWeight() + weight * ratio;
  }

  /**
   * An uphill fit ({@code b_k ≤ 0}) with {@link TunerConfig.Builder#optUphillShrinks}: the
   * candidate is 0, clipped to {@code ê_k / ρ} and smoothed, so
   * {@code ê_k ← max(γ + (1 − γ)/ρ, ½) ê_k}. The floor of ½ (the factor a non-finite loss
   * applies) keeps an unclipped, unsmoothed tuner from dropping the rate, and with it the
   * next probe size, to zero on a single uphill fit.
   */
  private void shrinkUphill(int k) {
    double factor = uphillFactor();
    estimates[k] = bound(estimates[k] * factor);
    momentB[k] *= factor;
  }

  /**
   * The tuner's state, for checkpoints.
   *
   * @return a snapshot
   */
  public TunerState state() {
    return new TunerState(
        step, probes, estimates, momentA, momentB, probeScale, frozen, lowInfluenceStreak);
  }

  /**
   * Restores a snapshot taken from a tuner over the same groups.
   *
   * @param state the snapshot
   * @throws IllegalArgumentException if it has a different number of groups
   */
  public void restore(TunerState state) {
    if (state.estimates().length != groupCount) {
      throw new IllegalArgumentException("state holds " + state.estimates().length
          + " groups but this tuner has " + groupCount + " " + layout.names());
    }
    boolean anyActive = false;
    for (boolean f : state.frozen()) {
      anyActive |= !f;
    }
    if (!anyActive) {
      throw new IllegalArgumentException("state has every group frozen "
          + java.util.Arrays.toString(state.frozen()) + ": at least one group must train");
    }
    step = state.step();
    probes = state.probes();
    System.arraycopy(state.estimates(), 0, estimates, 0, groupCount);
    System.arraycopy(state.momentA(), 0, momentA, 0, groupCount);
    System.arraycopy(state.momentB(), 0, momentB, 0, groupCount);
    System.arraycopy(state.probeScale(), 0, probeScale, 0, groupCount);
    System.arraycopy(state.frozen(), 0, frozen, 0, groupCount);
    System.arraycopy(state.lowInfluenceStreak(), 0, lowInfluenceStreak, 0, groupCount);
    refreshActive();
  }

  /** ALGORITHM.md §4 step 2: the validity rules, per active group; null means valid. */
  private Rejection[] validate(QuadraticFit fit) {
    int m = active.length;
    Rejection[] out = new Rejection[m];
    for (int i = 0; i < m; i++) {
      double a = fit.a()[i];
      double b = fit.b()[i];
      if (!fit.wellPosed()) {
        out[i] = Rejection.DEGENERATE_DESIGN;
      } else if (config.scheme() == ProbeScheme.Kind.REGRESSION
          && !(fit.rSquared() >= config.r2Min())) {
        out[i] = Rejection.LOW_R_SQUARED;
      } else if (!Double.isFinite(a) || !Double.isFinite(b)) {
        out[i] = Rejection.NON_FINITE_FIT;
      } else if (!fit.resolved()[i]) {
        out[i] = Rejection.UNRESOLVED_CURVATURE;
      } else if (a <= 0) {
        out[i] = Rejection.NON_POSITIVE_CURVATURE;
      } else if (b <= 0) {
        out[i] = Rejection.NON_POSITIVE_SLOPE;
      }
    }
    return out;
  }

  /**
   * Fills {@code c_k = b_k / a_k}, or for FULL the components of {@code A⁻¹ b} over the valid
   * groups when that sub-matrix is positive definite. Returns whether the full solve was used.
   */
  private boolean candidates(QuadraticFit fit, Rejection[] rejections, double[] out) {
    int m = active.length;
    for (int i = 0; i < m; i++) {
      out[i] = fit.a()[i] != 0 ? fit.b()[i] / fit.a()[i] : Double.NaN;
    }
    if (fit.fullA() == null) {
      return false;
    }
    int[] valid = java.util.stream.IntStream.range(0, m).filter(i -> rejections[i] == null)
        .toArray();
    if (valid.length == 0) {
      return false;
    }
    double[][] sub = new double[valid.length][valid.length];
    double[] rhs = new double[valid.length];
    for (int r = 0; r < valid.length; r++) {
      rhs[r] = fit.b()[valid[r]];
      for (int c = 0; c < valid.length; c++) {
        sub[r][c] = fit.fullA()[valid[r]][valid[c]];
      }
    }
    Optional<Cholesky> cholesky = Cholesky.decompose(sub);
    if (cholesky.isEmpty()) {
      return false;
    }
    double[] solution = cholesky.get().solve(rhs);
    for (int r = 0; r < valid.length; r++) {
      out[valid[r]] = solution[r];
      if (!(solution[r] > 0) || !Double.isFinite(solution[r])) {
        rejections[valid[r]] = Rejection.NON_POSITIVE_CANDIDATE;
      }
    }
    return true;
  }

  /**
   * The resolution guard's remedy (ALGORITHM.md §3): while a group's curvature is below the
   * loss arithmetic's resolution, probe it {@value #PROBE_GROWTH}× farther next time (up to
   * {@value #MAX_PROBE_SCALE}× its rate), and come back toward {@code h_k = ê_k} once the
   * curvature term is resolved with a wide margin. The rate itself is never changed by this.
   */
  private void adaptProbeScale(
      int k, Rejection rejection, double a, double h, double l0, LossPrecision precision) {
    if (rejection == Rejection.UNRESOLVED_CURVATURE) {
      probeScale[k] = Math.min(probeScale[k] * PROBE_GROWTH, MAX_PROBE_SCALE);
    } else if (probeScale[k] > 1 && Double.isFinite(a)
        && Math.abs(a) * h * h > RESOLVED_MARGIN * config.resolutionUlps() * precision.ulp(l0)) {
      probeScale[k] = Math.max(1, probeScale[k] / PROBE_GROWTH);
    }
  }

  /** ALGORITHM.md §4 steps 3–5 for one group with a valid fit. */
  private void update(int k, double a, double b, double candidate) {
    double target;
    double previous = estimates[k];
    if (config.smoothing() == Smoothing.MOMENT_EMA) {
      double beta = config.momentSmoothing();
      momentA[k] = beta * momentA[k] + (1 - beta) * a;
      momentB[k] = beta * momentB[k] + (1 - beta) * b;
      target = clip(momentB[k] / momentA[k], previous);
    } else if (config.smoothing() == Smoothing.LOG_RATE_EMA) {
      target = previous * smoothed(clip(candidate, previous) / previous);
    } else {
      double weight = newWeight();
      target = oldWeight() * previous + weight * clip(candidate, previous);
    }
    estimates[k] = bound(target);
  }

  private double clip(double candidate, double previous) {
    double rho = config.clip();
    if (Double.isInfinite(rho)) {
      return candidate;
    }
    return Math.min(Math.max(candidate, previous / rho), previous * rho);
  }

  private double bound(double rate) {
    double bounded = Math.min(Math.max(rate, config.minRate()), config.maxRate());
    // A rate of exactly zero would make the next probe size zero; keep the smallest positive.
    return bounded > 0 ? bounded : Double.MIN_NORMAL;
  }

  /** ALGORITHM.md §4 step 6: a non-finite probe loss halves every estimate, no fit. */
  private ProbeReport halveAfterNonFiniteLoss(ProbePlan plan, double[] losses, double[] before) {
    List<GroupProbe> reports = new ArrayList<>(active.length);
    for (int i = 0; i < active.length; i++) {
      int k = active[i];
      estimates[k] = bound(estimates[k] / 2);
      probeScale[k] = 1;
      momentB[k] /= 2;
      reports.add(new GroupProbe(layout.group(k).name(), plan.probeSizes()[i], Double.NaN,
          Double.NaN, Double.NaN,
          false, Rejection.NON_FINITE_LOSS, before[k], estimates[k], Double.NaN, Double.NaN));
    }
    return new ProbeReport(step, config.scheme(), plan.forwardPasses(), losses[0], Double.NaN,
        true, false, reports, List.of(), Double.NaN, Double.NaN);
  }

  /** ALGORITHM.md §7: freeze groups whose influence stayed below ψ, never all of them. */
  private List<String> applyFreezePolicy(double[] influence, Rejection[] rejections) {
    FreezePolicy policy = config.freeze();
    if (!policy.enabled()) {
      return List.of();
    }
    int m = active.length;
    for (int i = 0; i < m; i++) {
      if (Double.isFinite(influence[i]) && rejections[i] == null) {
        int k = active[i];
        lowInfluenceStreak[k] = influence[i] < policy.threshold() ? lowInfluenceStreak[k] + 1 : 0;
      }
    }
    if (step < policy.warmupSteps()) {
      return List.of();
    }
    List<Integer> toFreeze = new ArrayList<>();
    for (int k : active) {
      if (lowInfluenceStreak[k] >= policy.patience()) {
        toFreeze.add(k);
      }
    }
    if (toFreeze.size() == m) {
      int keep = 0;
      for (int i = 1; i < m; i++) {
        if (compareInfluence(influence[i], influence[keep]) > 0) {
          keep = i;
        }
      }
      toFreeze.remove(Integer.valueOf(active[keep]));
    }
    List<String> names = new ArrayList<>(toFreeze.size());
    for (int k : toFreeze) {
      frozen[k] = true;
      names.add(layout.group(k).name());
    }
    if (!toFreeze.isEmpty()) {
      refreshActive();
    }
    return names;
  }

  private static int compareInfluence(double x, double y) {
    return Double.compare(Double.isNaN(x) ? Double.NEGATIVE_INFINITY : x,
        Double.isNaN(y) ? Double.NEGATIVE_INFINITY : y);
  }

  private double[] scatter(double[] activeDisplacement) {
    double[] full = new double[groupCount];
    for (int i = 0; i < active.length; i++) {
      full[active[i]] = activeDisplacement[i];
    }
    return full;
  }

  private void refreshActive() {
    active = java.util.stream.IntStream.range(0, groupCount).filter(k -> !frozen[k]).toArray();
    if (active.length == 0) {
      throw new IllegalArgumentException("every group is frozen " + Arrays.toString(frozen)
          + ": at least one group must train");
    }
    scheme = ProbeScheme.create(
        config.scheme(), active.length, config.regressionProbes(), config.seed());
  }
}
