package io.github.hidlr.core.tuner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import io.github.hidlr.core.probe.ProbeScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TunerConfigTest {

  @Test
  void everyPresetAndACustomConfigurationRoundTrip() {
    List<TunerConfig> configs = List.of(
        TunerConfig.gen().setInitialRate(1e-3).build(),
        TunerConfig.hiDlr().setInitialRate(1e-3).build(),
        TunerConfig.cdat().setInitialRate(1e-3).build(),
        TunerConfig.builder().setInitialRate(0.05).optInitialRate("head", 0.5)
            .optScheme(ProbeScheme.Kind.REGRESSION).optRegressionProbes(11).optR2Min(0.5)
            .optClip(Double.POSITIVE_INFINITY).optRateSmoothing(0.3).optMomentSmoothing(0.7)
            .optEdge(1.5).optHorizon(Horizon.LINEAR, 500).optRateBounds(1e-6, 1)
            .optProbeEvery(4).optResolutionUlps(8).optSeed(99)
            .optFreeze(new FreezePolicy(10, 100, 3)).optJointScale(JointScale.DIRECT).optUphillShrinks(true).build());
    for (TunerConfig config : configs) {
      TunerConfig copy = TunerConfig.fromMap(config.toMap());
      assertThat(copy).isEqualTo(config);
      assertThat(copy.toMap()).isEqualTo(config.toMap());
    }
    TunerConfig custom = configs.get(3);
    assertThat(custom.initialRate("head")).isEqualTo(0.5);
    assertThat(custom.initialRate("other")).isEqualTo(0.05);
    assertThat(custom.freeze().patience()).isEqualTo(3);
  }

  @Test
  void presetsCarryTheReferenceDefaults() {
    TunerConfig gen = TunerConfig.gen().setInitialRate(1e-3).build();
    assertThat(gen.scheme()).isEqualTo(ProbeScheme.Kind.SYMMETRIC);
    assertThat(gen.clip()).isEqualTo(2);
    assertThat(gen.rateSmoothing()).isEqualTo(0.9);
    assertThat(gen.edge()).isEqualTo(1);
    TunerConfig cdat = TunerConfig.cdat().setInitialRate(1e-3).build();
    assertThat(cdat.edge()).isEqualTo(2);
    assertThat(cdat.smoothing()).isEqualTo(Smoothing.MOMENT_EMA);
  }

  @Test
  void builderDoesNotShareItsMapWithBuiltConfigs() {
    TunerConfig.Builder builder = TunerConfig.hiDlr().setInitialRate(1).optInitialRate("a", 2);
    TunerConfig first = builder.build();
    builder.optInitialRate("b", 3);
    assertThat(first.initialRates()).containsOnlyKeys("a");
  }

  @Test
  void badHyperparametersNameTheValueAndWhatIsAllowed() {
    expect(() -> TunerConfig.hiDlr().build(), "initialRate η0 is required");
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      expect(() -> TunerConfig.hiDlr().setInitialRate(bad), "initialRate η0 = " + bad);
      expect(() -> TunerConfig.hiDlr().optEdge(bad), "edge σ = " + bad);
    }
    expect(() -> TunerConfig.hiDlr().optClip(0.5), "clip ρ = 0.5 must be ≥ 1");
    expect(() -> TunerConfig.hiDlr().optClip(Double.NaN), "clip ρ = NaN");
    expect(() -> TunerConfig.hiDlr().optRateSmoothing(1), "rateSmoothing γ = 1.0 must be in [0, 1)");
    expect(() -> TunerConfig.hiDlr().optRateSmoothing(-0.1), "rateSmoothing γ = -0.1");
    expect(() -> TunerConfig.hiDlr().optMomentSmoothing(Double.NaN), "momentSmoothing β = NaN");
    expect(() -> TunerConfig.hiDlr().optProbeEvery(0), "probeEvery Φ = 0 must be ≥ 1");
    expect(() -> TunerConfig.hiDlr().optRegressionProbes(-1), "regressionProbes M = -1");
    expect(() -> TunerConfig.hiDlr().optR2Min(1.5), "r2Min = 1.5 must be in [0, 1]");
    expect(() -> TunerConfig.hiDlr().optHorizon(Horizon.LINEAR, 0), "needs T ≥ 1");
    expect(() -> TunerConfig.hiDlr().optRateBounds(1, 0.5), "rate bounds [1.0, 0.5]");
    expect(() -> TunerConfig.hiDlr().optResolutionUlps(-1), "resolutionUlps = -1.0");
    expect(() -> new FreezePolicy(-1, 0, 1), "freeze threshold ψ = -1.0");
    expect(() -> new FreezePolicy(1, 0, 0), "freeze patience 0 must be ≥ 1");
    expect(() -> TunerConfig.hiDlr().setInitialRate(5).optRateBounds(0, 1).build(),
        "initialRate η0 = 5.0 lies outside the rate bounds [0.0, 1.0]");
    expect(() -> TunerConfig.cdat().setInitialRate(1).optScheme(ProbeScheme.Kind.FULL).build(),
        "moment EMA");
    Map<String, String> unknown = new LinkedHashMap<>(
        TunerConfig.hiDlr().setInitialRate(1).build().toMap());
    unknown.put("learningRate", "3");
    expect(() -> TunerConfig.fromMap(unknown), "unknown configuration key \"learningRate\"");
    Map<String, String> garbled = new LinkedHashMap<>(unknown);
    garbled.remove("learningRate");
    garbled.put("clip", "two");
    expect(() -> TunerConfig.fromMap(garbled), "\"clip\" has unparsable value \"two\"");
  }

  @Test
  void badGroupsAreRejected() {
    expect(() -> GroupLayout.of(List.of()), "no groups");
    expect(() -> new ParameterGroup("head", 0), "group \"head\" is empty (size 0)");
    expect(() -> new ParameterGroup(" ", 3), "blank");
    expect(() -> GroupLayout.of(new ParameterGroup("a", 1), new ParameterGroup("a", 2)),
        "duplicate group name \"a\" at positions 0 and 1");
    GroupLayout layout = GroupLayout.of(new ParameterGroup("a", 1), new ParameterGroup("b", 2));
    expect(() -> layout.indexOf("c"), "unknown group \"c\"; known groups: [a, b]");
  }

  private static void expect(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

}
