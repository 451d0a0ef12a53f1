package io.github.hidlr.core.tuner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import io.github.hidlr.core.probe.LossPrecision;
import io.github.hidlr.core.probe.LossProbe;
import io.github.hidlr.core.probe.ProbeScheme;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TunerPolicyTest {

  private static final GroupLayout TWO = GroupLayout.of(
      new ParameterGroup("good", 10), new ParameterGroup("bad", 5));

  /** A separable quadratic in double precision: {@code L = Σ (−b_k ξ_k + ½ a_k ξ_k²)}. */
  private static LossProbe separable(double[] b, double[] a) {
    return new LossProbe() {
      @Override
      public double loss(double[] xi) {
        double value = 1;
        for (int k = 0; k < b.length; k++) {
          value += -b[k] * xi[k] + 0.5 * a[k] * xi[k] * xi[k];
        }
        return value;
      }

      @Override
      public LossPrecision precision() {
        return LossPrecision.FLOAT64;
      }
    };
  }

  private static TunerConfig.Builder greedy() {
    return TunerConfig.paper().setInitialRate(0.1).optRateSmoothing(0)
        .optClip(Double.POSITIVE_INFINITY);
  }

  @Test
  void greedyRatesAreTheInverseCurvatureOnSeparableQuadratics() {
    int k = 7;
    double[] curvature = new double[k];
    double[] slope = new double[k];
    for (int i = 0; i < k; i++) {
      curvature[i] = Math.pow(10, -3 + i);
      slope[i] = 1;
    }
    HiDlrTuner tuner = HiDlrTuner.create(greedy().build(), GroupLayout.perCoordinate(k));
    ProbeReport report = tuner.probe(separable(slope, curvature));
    for (int i = 0; i < k; i++) {
      assertThat(tuner.estimates()[i]).as("ê_%d for λ = %g", i, curvature[i])
          .isCloseTo(1 / curvature[i], within(1e-9 / curvature[i]));
      assertThat(report.groups().get(i).accepted()).isTrue();
      assertThat(report.groups().get(i).rejection()).isNull();
    }
  }

  @Test
  void invalidFitsKeepTheRateAndSayWhy() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().build(), TWO);
    // group "bad": concave (a < 0)
    ProbeReport concave = tuner.probe(separable(new double[] {1, 1}, new double[] {2, -3}));
    assertThat(concave.group("bad").rejection()).isEqualTo(Rejection.NON_POSITIVE_CURVATURE);
    assertThat(concave.group("bad").estimateAfter()).isEqualTo(0.1);
    assertThat(concave.group("good").estimateAfter()).isCloseTo(0.5, within(1e-12));
    // group "bad": ascending direction (b < 0)
    ProbeReport ascending = tuner.probe(separable(new double[] {1, -1}, new double[] {2, 3}));
    assertThat(ascending.group("bad").rejection()).isEqualTo(Rejection.NON_POSITIVE_SLOPE);
    assertThat(ascending.group("bad").estimateAfter()).isEqualTo(0.1);
  }

  @Test
  void unresolvedCurvatureKeepsTheRate() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().build(), TWO);
    LossProbe flat = xi -> 1.0f + 1e-3 * xi[0] * xi[0] - 1e-3 * xi[0];
    ProbeReport report = tuner.probe(flat);
    assertThat(report.group("bad").rejection()).isEqualTo(Rejection.UNRESOLVED_CURVATURE);
    assertThat(report.group("bad").estimateAfter()).isEqualTo(0.1);
  }

  @Test
  void nonFiniteLossHalvesEveryRate() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().build(), TWO);
    ProbeReport report = tuner.probe(xi -> xi[1] != 0 ? Double.NaN : 1 - xi[0] + xi[0] * xi[0]);
    assertThat(report.nonFiniteLoss()).isTrue();
    assertThat(tuner.estimates()).containsExactly(0.05, 0.05);
    assertThat(report.groups()).allSatisfy(g ->
        assertThat(g.rejection()).isEqualTo(Rejection.NON_FINITE_LOSS));
    tuner.probe(xi -> Double.POSITIVE_INFINITY);
    assertThat(tuner.estimates()).containsExactly(0.025, 0.025);
  }

  @Test
  void lowRSquaredKeepsTheRate() {
    Random noise = new Random(3);
    HiDlrTuner tuner = HiDlrTuner.create(
        greedy().optScheme(ProbeScheme.Kind.REGRESSION).optR2Min(0.9).build(), TWO);
    ProbeReport report = tuner.probe(xi -> 1 + noise.nextGaussian());
    assertThat(report.rSquared()).isLessThan(0.9);
    assertThat(report.groups()).allSatisfy(g -> {
      assertThat(g.rejection()).isEqualTo(Rejection.LOW_R_SQUARED);
      assertThat(g.estimateAfter()).isEqualTo(0.1);
    });
  }

  @Test
  void clippingAndSmoothingFollowTheFormula() {
    HiDlrTuner tuner = HiDlrTuner.create(
        TunerConfig.paper().setInitialRate(0.1).optClip(2).optRateSmoothing(0.9).build(),
        GroupLayout.single("all", 3));
    // candidate b/a = 100 is clipped to 2 ê = 0.2, then ê = 0.9 · 0.1 + 0.1 · 0.2
    ProbeReport report = tuner.probe(separable(new double[] {100}, new double[] {1}));
    assertThat(report.groups().get(0).candidate()).isCloseTo(100, within(1e-9));
    assertThat(tuner.estimates()[0]).isCloseTo(0.9 * 0.1 + 0.1 * 0.2, within(1e-12));
    // candidate 0.001 is clipped to ê / 2
    double before = tuner.estimates()[0];
    tuner.probe(separable(new double[] {0.001}, new double[] {1}));
    assertThat(tuner.estimates()[0]).isCloseTo(0.9 * before + 0.1 * before / 2, within(1e-12));
  }

  @Test
  void logSmoothingHasNoDriftUnderNoiseThatIsSymmetricInLogSpaceButTheLinearEmaRatchetsUp() {
    // Pure noise: the fits alternate between "100× the rate" and "1/100 of it", both clipped.
    double[] finalRates = new double[2];
    Smoothing[] modes = {Smoothing.RATE_EMA, Smoothing.LOG_RATE_EMA};
    for (int m = 0; m < 2; m++) {
      HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1).optClip(2)
          .optRateSmoothing(0.9).optSmoothing(modes[m]).build(), GroupLayout.single("all", 3));
      for (int t = 0; t < 100; t++) {
        double rate = tuner.estimates()[0];
        double candidate = t % 2 == 0 ? 100 * rate : rate / 100;
        tuner.probe(separable(new double[] {candidate}, new double[] {1}));
      }
      finalRates[m] = tuner.estimates()[0];
    }
    // Linear: ×1.10 then ×0.95, 50 times: ×1.045^50 ≈ 9.
    assertThat(finalRates[0]).isCloseTo(0.1 * Math.pow(1.1 * 0.95, 50), within(1e-9));
    assertThat(finalRates[0]).isGreaterThan(0.8);
    // Log: ×2^0.1 then ×2^−0.1: back to η0.
    assertThat(finalRates[1]).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void logSmoothingFollowsTheFormulaAndConvergesToTheCandidateOfANoiselessQuadratic() {
    HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1).optClip(2)
        .optRateSmoothing(0.9).optSmoothing(Smoothing.LOG_RATE_EMA).build(),
        GroupLayout.single("all", 3));
    tuner.probe(separable(new double[] {0.15}, new double[] {1}));
    assertThat(tuner.estimates()[0]).isCloseTo(0.1 * Math.pow(1.5, 0.1), within(1e-12));
    for (int t = 0; t < 300; t++) {
      tuner.probe(separable(new double[] {0.15}, new double[] {1}));
    }
    assertThat(tuner.estimates()[0]).isCloseTo(0.15, within(1e-9));
  }

  @Test
  void biasCorrectionTakesTheFirstFitWholeThenAveragesTheFitsAloneWithoutEta0() {
    double gamma = 0.9;
    HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1).optClip(2)
        .optRateSmoothing(gamma).optSmoothing(Smoothing.LOG_RATE_EMA).optBiasCorrection(true)
        .build(), GroupLayout.single("all", 3));
    double[] candidates = {0.15, 0.12, 0.18, 0.16};
    for (int n = 1; n <= candidates.length; n++) {
      tuner.probe(separable(new double[] {candidates[n - 1]}, new double[] {1}));
      // The EMA of the fits alone: log ê_n = Σ_i γ^(n−i) (1 − γ) log c_i / (1 − γ^n).
      double log = 0;
      for (int i = 1; i <= n; i++) {
        log += Math.pow(gamma, n - i) * (1 - gamma) * Math.log(candidates[i - 1]);
      }
      double expected = Math.exp(log / (1 - Math.pow(gamma, n)));
      assertThat(tuner.estimates()[0]).as("ê after %d probes", n)
          .isCloseTo(expected, within(1e-12));
    }
    assertThat(tuner.state().probes()).isEqualTo(candidates.length);
  }

  @Test
  void withoutBiasCorrectionTheLinearEmaIsThePapersFormulaToTheBitForAnyGamma() {
    for (double gamma : new double[] {0.1, 0.3, 0.9}) {
      HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1).optClip(2)
          .optRateSmoothing(gamma).build(), GroupLayout.single("all", 3));
      double candidate = tuner.probe(separable(new double[] {0.15}, new double[] {1}))
          .groups().get(0).candidate();
      assertThat(candidate).isCloseTo(0.15, within(1e-12));
      assertThat(tuner.estimates()[0]).as("γ = %s", gamma)
          .isEqualTo(gamma * 0.1 + (1 - gamma) * candidate);
    }
  }

  @Test
  void biasCorrectionReachesARateTenTimesAwayInAThirdOfTheProbes() {
    // Without: ×2^0.1 per probe, log2(10)/0.1 → 34 probes. With: ×2, ×2^0.53, ×2^0.37, …
    assertThat(probesToReach(false)).isEqualTo(34);
    assertThat(probesToReach(true)).isEqualTo(10);
  }

  /** Probes until ê ≥ 0.5 from η0 = 0.05 when every fit says 1 (clip ρ = 2, γ = 0.9). */
  private static int probesToReach(boolean biasCorrection) {
    HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.05).optClip(2)
        .optRateSmoothing(0.9).optSmoothing(Smoothing.LOG_RATE_EMA)
        .optBiasCorrection(biasCorrection).build(), GroupLayout.single("all", 3));
    int probes = 0;
    while (tuner.estimates()[0] < 0.5) {
      tuner.probe(separable(new double[] {1}, new double[] {1}));
      probes++;
    }
    return probes;
  }

  @Test
  void biasCorrectionIsForTheRateEmaOnly() {
    assertThatThrownBy(() -> TunerConfig.cdat().setInitialRate(0.1).optBiasCorrection(true)
        .build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("moment EMA");
    TunerConfig config = TunerConfig.hiDlr().setInitialRate(0.1).optBiasCorrection(true)
        .build();
    assertThat(TunerConfig.fromMap(config.toMap()).biasCorrection()).isTrue();
    assertThat(TunerConfig.hiDlr().setInitialRate(0.1).build().biasCorrection())
        .as("the default corrects it").isTrue();
    assertThat(TunerConfig.paper().setInitialRate(0.1).build().biasCorrection())
        .as("the paper's rule does not").isFalse();
  }

  @Test
  void fixedRatesNeverProbe() {
    // ρ = 1 pins every rate (LoRA+, manual rates, schedules): a probe could change nothing.
    HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1)
        .optInitialRate("bad", 0.4).optClip(1).optProbeEvery(1).build(), TWO);
    int[] calls = {0};
    for (int t = 0; t < 20; t++) {
      StepResult result = tuner.step(xi -> {
        calls[0]++;
        return 1;
      });
      assertThat(result.report()).isEmpty();
      assertThat(result.rates()).containsExactly(0.1, 0.4);
    }
    assertThat(calls[0]).isZero();
  }

  @Test
  void appliedRateIsHorizonTimesEdgeTimesEstimate() {
    TunerConfig config = TunerConfig.hiDlr().setInitialRate(0.1).optEdge(2)
        .optHorizon(Horizon.COSINE, 10).optProbeEvery(1000).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, GroupLayout.single("all", 1));
    LossProbe unused = xi -> 1;
    for (int t = 0; t < 12; t++) {
      StepResult step = tuner.step(unused);
      double s = 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, t / 10.0)));
      assertThat(step.rates()[0]).as("step %d", t).isCloseTo(s * 2 * 0.1, within(1e-15));
    }
    assertThat(Horizon.LINEAR.scale(3, 10)).isCloseTo(0.7, within(1e-15));
    assertThat(Horizon.CONSTANT.scale(99, 10)).isEqualTo(1);
  }

  @Test
  void cooldownKeepsTheRateForFourFifthsThenDecaysLinearlyToZero() {
    assertThat(Horizon.COOLDOWN.scale(0, 100)).isEqualTo(1);
    assertThat(Horizon.COOLDOWN.scale(80, 100)).isCloseTo(1, within(1e-12));
    assertThat(Horizon.COOLDOWN.scale(90, 100)).isCloseTo(0.5, within(1e-12));
    assertThat(Horizon.COOLDOWN.scale(95, 100)).isCloseTo(0.25, within(1e-12));
    assertThat(Horizon.COOLDOWN.scale(100, 100)).isCloseTo(0, within(1e-12));
    assertThat(Horizon.COOLDOWN.scale(150, 100)).isCloseTo(0, within(1e-12));
  }

  @Test
  void lazyProbingRunsEveryPhiSteps() {
    TunerConfig config = greedy().optProbeEvery(4).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    int[] calls = {0};
    LossProbe probe = xi -> {
      calls[0]++;
      return 1 - xi[0] - xi[1] + xi[0] * xi[0] + xi[1] * xi[1];
    };
    int probed = 0;
    for (int t = 0; t < 10; t++) {
      if (tuner.step(probe).report().isPresent()) {
        probed++;
      }
    }
    assertThat(probed).isEqualTo(3);
    assertThat(calls[0]).isEqualTo(3 * 5);
    assertThat(tuner.forwardPassesPerProbe()).isEqualTo(5);
  }

  @Test
  void rateBoundsHoldAfterAFit() {
    HiDlrTuner tuner = HiDlrTuner.create(
        greedy().optRateBounds(0.01, 0.2).build(), GroupLayout.single("all", 1));
    tuner.probe(separable(new double[] {1}, new double[] {1}));
    assertThat(tuner.estimates()[0]).isEqualTo(0.2);
    tuner.probe(separable(new double[] {1}, new double[] {1e6}));
    assertThat(tuner.estimates()[0]).isEqualTo(0.01);
  }

  @Test
  void cdatMomentEmaAveragesTheMomentsAndScalesToTheEdge() {
    TunerConfig config = TunerConfig.cdat().setInitialRate(0.1).optClip(Double.POSITIVE_INFINITY)
        .build();
    assertThat(config.edge()).isEqualTo(2);
    HiDlrTuner tuner = HiDlrTuner.create(config, GroupLayout.single("all", 1));
    tuner.probe(separable(new double[] {1}, new double[] {4}));
    assertThat(tuner.estimates()[0]).isCloseTo(0.25, within(1e-12));
    tuner.probe(separable(new double[] {3}, new double[] {2}));
    double aBar = 0.9 * 0.1 * 4 + 0.1 * 2;
    double bBar = 0.9 * 0.1 * 1 + 0.1 * 3;
    assertThat(tuner.estimates()[0]).isCloseTo(bBar / aBar, within(1e-12));
    assertThat(tuner.learningRates()[0]).isCloseTo(2 * bBar / aBar, within(1e-12));
  }

  @Test
  void fullSchemeFallsBackToDiagonalWhenANotPositiveDefinite() {
    TunerConfig config = greedy().optScheme(ProbeScheme.Kind.FULL).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    // A = [[1, 2], [2, 1]] is indefinite; diagonal candidates are b/a = 1 and 1.
    ProbeReport report = tuner.probe(xi ->
        1 - xi[0] - xi[1] + 0.5 * (xi[0] * xi[0] + xi[1] * xi[1]) + 2 * xi[0] * xi[1]);
    assertThat(report.fullSolve()).isFalse();
    assertThat(tuner.estimates()[0]).isCloseTo(1, within(1e-9));
    assertThat(tuner.estimates()[1]).isCloseTo(1, within(1e-9));
  }

  @Test
  void autoFreezeFreezesLowInfluenceGroupsButNeverAll() {
    TunerConfig config = greedy().optFreeze(new FreezePolicy(1e-3, 2, 2)).build();
    GroupLayout layout = GroupLayout.of(new ParameterGroup("big", 1),
        new ParameterGroup("tiny1", 1000), new ParameterGroup("tiny2", 1000));
    HiDlrTuner tuner = HiDlrTuner.create(config, layout);
    // PPI = b²/(a n): big 1, tiny 1e-6
    LossProbe probe = separable(new double[] {1, 1e-3, 1e-3}, new double[] {1, 1, 1});
    StepResult first = tuner.step(probe);
    assertThat(first.report().orElseThrow().group("tiny1").influence())
        .isCloseTo(1e-9, within(1e-15));
    assertThat(first.report().orElseThrow().newlyFrozen()).isEmpty();
    tuner.step(probe);
    StepResult third = tuner.step(probe);
    assertThat(third.report().orElseThrow().newlyFrozen()).containsExactly("tiny1", "tiny2");
    assertThat(tuner.frozen()).containsExactly(false, true, true);
    StepResult fourth = tuner.step(probe);
    assertThat(fourth.rates()[1]).isZero();
    assertThat(fourth.report().orElseThrow().groups()).extracting(GroupProbe::group)
        .containsExactly("big");
    assertThat(fourth.report().orElseThrow().forwardPasses()).isEqualTo(3);

    // everything low: the most influential survives
    HiDlrTuner all = HiDlrTuner.create(config, layout);
    LossProbe low = separable(new double[] {1e-4, 2e-2, 1e-3}, new double[] {1, 1, 1});
    for (int t = 0; t < 4; t++) {
      all.step(low);
    }
    assertThat(all.frozen()).containsExactly(true, false, true);
  }

  @Test
  void presetsAndLayoutChecks() {
    assertThatThrownBy(() -> HiDlrTuner.create(TunerConfig.gen().setInitialRate(1).build(), TWO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GeN").hasMessageContaining("[good, bad]");
    assertThatThrownBy(() -> HiDlrTuner.create(
        TunerConfig.hiDlr().setInitialRate(1).optInitialRate("head", 2).build(), TWO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"head\"").hasMessageContaining("[good, bad]");
    assertThatThrownBy(() -> HiDlrTuner.create(TunerConfig.hiDlr().setInitialRate(1)
        .optScheme(ProbeScheme.Kind.REGRESSION).optRegressionProbes(4).build(), TWO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("M = 4")
        .hasMessageContaining("2K + 1 = 5");
    HiDlrTuner tuner = HiDlrTuner.create(
        TunerConfig.hiDlr().setInitialRate(1).optInitialRate("bad", 3).build(), TWO);
    assertThat(tuner.estimates()).containsExactly(1, 3);
  }

  @Test
  void unresolvedCurvatureEnlargesTheNextProbeUntilItIsResolved() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().setInitialRate(1e-3).build(),
        GroupLayout.single("all", 1));
    // float32 loss ≈ 10 with curvature 1: at h = 1e-3 the term a h² = 1e-6 is under 64 ulps
    LossProbe probe = xi -> (float) (10 - xi[0] + 0.5 * xi[0] * xi[0]);
    ProbeReport first = tuner.probe(probe);
    assertThat(first.groups().get(0).rejection()).isEqualTo(Rejection.UNRESOLVED_CURVATURE);
    assertThat(first.groups().get(0).probeSize()).isEqualTo(1e-3);
    assertThat(tuner.estimates()[0]).isEqualTo(1e-3);
    ProbeReport second = tuner.probe(probe);
    assertThat(second.groups().get(0).probeSize()).isEqualTo(4e-3);
    ProbeReport third = tuner.probe(probe);
    assertThat(third.groups().get(0).probeSize()).isEqualTo(1.6e-2);
    assertThat(third.groups().get(0).accepted()).isTrue();
    // float32 rounding at ~270 ulps of curvature term: the rate is right to a few 1e-3
    assertThat(tuner.estimates()[0]).isCloseTo(1, within(1e-2));
    assertThat(tuner.state().probeScale()[0]).isEqualTo(16);
  }

  /** {@code L = 1 − ξ0 − ξ1 + ½ (ξ0² + ξ1²) + 0.9 ξ0 ξ1}: each group alone wants rate 1. */
  private static final LossProbe COUPLED = new LossProbe() {
    @Override
    public double loss(double[] xi) {
      return 1 - xi[0] - xi[1] + 0.5 * (xi[0] * xi[0] + xi[1] * xi[1]) + 0.9 * xi[0] * xi[1];
    }

    @Override
    public LossPrecision precision() {
      return LossPrecision.FLOAT64;
    }
  };

  @Test
  void jointScaleIsTheExactLineSearchAlongTheCombinedStepOnACoupledQuadratic() {
    TunerConfig config = greedy().optJointScale(JointScale.DIRECT).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    ProbeReport report = tuner.probe(COUPLED);
    // ê = (1, 1) after the diagonal rule; along D = ê the optimum is Σ b ê / êᵀAê = 2 / 3.8
    assertThat(report.jointScale()).isCloseTo(1 / 1.9, within(1e-9));
    assertThat(tuner.estimates()[0]).isCloseTo(1 / 1.9, within(1e-9));
    assertThat(tuner.estimates()[1]).isCloseTo(1 / 1.9, within(1e-9));
    assertThat(report.forwardPasses()).isEqualTo(2 * 2 + 3);
    assertThat(tuner.forwardPassesPerProbe()).isEqualTo(7);
    // the scaled step is the minimum of the loss along D: 1 − 1/1.9 instead of 0.9 at ê = (1, 1)
    assertThat(COUPLED.loss(tuner.estimates())).isCloseTo(1 - 1 / 1.9, within(1e-12));
    assertThat(COUPLED.loss(new double[] {1, 1})).isCloseTo(0.9, within(1e-12));
  }

  @Test
  void smoothedJointScaleTreatsTheLineSearchAsOneMoreCandidate() {
    TunerConfig config = TunerConfig.paper().setInitialRate(0.1).optRateSmoothing(0.5)
        .optClip(Double.POSITIVE_INFINITY).optJointScale(JointScale.SMOOTHED).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    ProbeReport report = tuner.probe(COUPLED);
    // per group ê = ½ · 0.1 + ½ · 1 = 0.55; along D the optimum is 1 / (0.55 · 1.9)
    double lineSearch = 1 / (0.55 * 1.9);
    assertThat(report.jointScale()).isCloseTo(0.5 + 0.5 * lineSearch, within(1e-9));
    assertThat(tuner.estimates()[0]).isCloseTo(0.55 * (0.5 + 0.5 * lineSearch), within(1e-9));
    assertThat(TunerConfig.hiDlr().setInitialRate(1).build().jointScale())
        .isEqualTo(JointScale.SMOOTHED);
  }

  @Test
  void candidateJointScaleLineSearchesAlongTheCandidatesBeforeTheEma() {
    // greedy: the corrected candidate is the exact line search along the diagonal optimum
    HiDlrTuner greedyTuner = HiDlrTuner.create(
        greedy().optJointScale(JointScale.CANDIDATE).build(), TWO);
    ProbeReport report = greedyTuner.probe(COUPLED);
    assertThat(report.jointScale()).isCloseTo(1 / 1.9, within(1e-9));
    assertThat(greedyTuner.estimates()[0]).isCloseTo(1 / 1.9, within(1e-9));
    assertThat(report.forwardPasses()).isEqualTo(7);
    // smoothed: ê moves toward the corrected candidate, ½ · 0.1 + ½ · (1 / 1.9)
    HiDlrTuner smoothed = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1)
        .optRateSmoothing(0.5).optClip(Double.POSITIVE_INFINITY)
        .optJointScale(JointScale.CANDIDATE).build(), TWO);
    smoothed.probe(COUPLED);
    assertThat(smoothed.estimates()[1]).isCloseTo(0.05 + 0.5 / 1.9, within(1e-9));
    // its fixed point is the coupling-corrected rate, whatever the smoothing
    for (int i = 0; i < 100; i++) {
      smoothed.probe(COUPLED);
    }
    assertThat(smoothed.estimates()[0]).isCloseTo(1 / 1.9, within(1e-9));
    // on a separable quadratic the line search is exactly 1
    HiDlrTuner separable = HiDlrTuner.create(
        greedy().optJointScale(JointScale.CANDIDATE).build(), TWO);
    assertThat(separable.probe(separable(new double[] {1, 2}, new double[] {1, 4}))
        .jointScale()).isCloseTo(1, within(1e-12));
    assertThat(separable.estimates()[1]).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void jointScaleIsExactlyOneOnASeparableQuadratic() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().optJointScale(JointScale.DIRECT).build(), TWO);
    ProbeReport report = tuner.probe(separable(new double[] {1, 2}, new double[] {1, 4}));
    assertThat(report.jointScale()).isCloseTo(1, within(1e-12));
    assertThat(tuner.estimates()[0]).isCloseTo(1.0, within(1e-12));
    assertThat(tuner.estimates()[1]).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void jointScaleRaisesRatesThatAreTooSmallWithinTheClip() {
    // smoothing keeps ê at a fifth of the optimum: the line search asks for 5×, the clip gives 2×
    TunerConfig config = TunerConfig.paper().setInitialRate(0.2).optRateSmoothing(0.99)
        .optJointScale(JointScale.DIRECT).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    double before = 0.99 * 0.2 + 0.01 * 0.4;
    ProbeReport report = tuner.probe(separable(new double[] {1, 1}, new double[] {1, 1}));
    assertThat(report.jointScale()).isEqualTo(2);
    assertThat(tuner.estimates()[0]).isCloseTo(2 * before, within(1e-12));
  }

  @Test
  void jointScaleKeepsTheEdgeFactorOfCdat() {
    // CDAT on an uncoupled quadratic with a = 1 must apply σ ê = 2, the edge of stability
    TunerConfig config = TunerConfig.cdat().setInitialRate(0.1).optClip(Double.POSITIVE_INFINITY)
        .optJointScale(JointScale.DIRECT).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    LossProbe quadratic = separable(new double[] {1, 1}, new double[] {1, 1});
    for (int i = 0; i < 20; i++) {
      tuner.probe(quadratic);
    }
    assertThat(tuner.learningRates()[0]).isCloseTo(2.0, within(1e-9));
    assertThat(tuner.learningRates()[1]).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void anUphillFitAtMostHalvesAnUnclippedUnsmoothedRate() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().optUphillShrinks(true).build(), TWO);
    tuner.probe(separable(new double[] {-1, -2}, new double[] {1, 1}));
    assertThat(tuner.estimates()).containsExactly(0.05, 0.05);
  }

  @Test
  void paperPolicyHasNoJointScale() {
    ProbeReport off = HiDlrTuner.create(greedy().build(), TWO).probe(COUPLED);
    assertThat(off.jointScale()).isNaN();
    assertThat(off.forwardPasses()).isEqualTo(5);
    TunerConfig paper = TunerConfig.paper().setInitialRate(1e-3).build();
    assertThat(paper.jointScale()).isEqualTo(JointScale.OFF);
    assertThat(paper.uphillShrinks()).isFalse();
  }

  @Test
  void uphillFitsLowerTheRateGeometricallyAndDescendingFitsRaiseItBack() {
    TunerConfig config = TunerConfig.paper().setInitialRate(0.1).optUphillShrinks(true).build();
    HiDlrTuner tuner = HiDlrTuner.create(config, TWO);
    // group 0 goes uphill (b = −1), group 1 descends toward its optimum 1
    LossProbe mixed = separable(new double[] {-1, 1}, new double[] {1, 1});
    ProbeReport report = tuner.probe(mixed);
    assertThat(report.groups().get(0).rejection()).isEqualTo(Rejection.NON_POSITIVE_SLOPE);
    assertThat(tuner.estimates()[0]).isCloseTo(0.1 * (0.9 + 0.1 / 2), within(1e-15));
    assertThat(tuner.estimates()[1]).isCloseTo(0.9 * 0.1 + 0.1 * 0.2, within(1e-15));
    // the paper keeps the uphill group's rate
    HiDlrTuner paper = HiDlrTuner.create(TunerConfig.paper().setInitialRate(0.1).build(), TWO);
    paper.probe(mixed);
    assertThat(paper.estimates()[0]).isEqualTo(0.1);
    // shrinking is geometric, never to zero, and a descending slope brings the rate back
    for (int i = 0; i < 50; i++) {
      tuner.probe(mixed);
    }
    double low = tuner.estimates()[0];
    assertThat(low).isCloseTo(0.1 * Math.pow(0.95, 51), within(1e-12)).isPositive();
    for (int i = 0; i < 200; i++) {
      tuner.probe(separable(new double[] {1, 1}, new double[] {1, 1}));
    }
    assertThat(tuner.estimates()[0]).isCloseTo(1, within(1e-3));
  }

  @Test
  void aProbeThatThrowsPartWayChangesNothing() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().optJointScale(JointScale.DIRECT).build(), TWO);
    TunerState before = tuner.state();
    int[] calls = {0};
    LossProbe failing = xi -> {
      if (++calls[0] == 7) {
        throw new IllegalStateException("engine failed");
      }
      return 1 - xi[0] - xi[1] + xi[0] * xi[0] + xi[1] * xi[1];
    };
    assertThatThrownBy(() -> tuner.probe(failing)).hasMessage("engine failed");
    assertThat(tuner.state()).isEqualTo(before);
  }

  @Test
  void restoringAStateWithEveryGroupFrozenIsRefused() {
    HiDlrTuner tuner = HiDlrTuner.create(greedy().build(), TWO);
    TunerState allFrozen = new TunerState(3, 1, new double[] {0.1, 0.1}, new double[2],
        new double[2], new double[] {1, 1}, new boolean[] {true, true}, new int[2]);
    TunerState before = tuner.state();
    assertThatThrownBy(() -> tuner.restore(allFrozen))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every group frozen");
    assertThat(tuner.state()).isEqualTo(before);
  }
}
