package io.github.hidlr.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import io.github.hidlr.core.problem.Functions2d;
import io.github.hidlr.core.problem.GradientDescent;
import io.github.hidlr.core.problem.GroupedProblem;
import io.github.hidlr.core.problem.Trajectory;
import io.github.hidlr.core.tuner.FreezePolicy;
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.core.tuner.TunerState;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerStateFormatTest {

  private static final GroupLayout LAYOUT = GroupLayout.of(
      new ParameterGroup("lora A", 64), new ParameterGroup("lora_B", 64),
      new ParameterGroup("head", 10));

  private static TunerState sample() {
    return new TunerState(17, 5, new double[] {0.1 / 3, Math.PI * 1e-7, 2.5},
        new double[] {0, 1e-300, 3}, new double[] {-0.0, 7, Double.MIN_VALUE},
        new double[] {1, 16, 1024},
        new boolean[] {false, true, false}, new int[] {0, 4, 1});
  }

  @Test
  void roundTripsBitForBitThroughAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tuner.state");
    try (var writer = Files.newBufferedWriter(file)) {
      TunerStateFormat.write(sample(), LAYOUT, writer);
    }
    try (var reader = Files.newBufferedReader(file)) {
      assertThat(TunerStateFormat.read(reader, LAYOUT)).isEqualTo(sample());
    }
    assertThat(Files.readString(file)).startsWith("hidlr-tuner-state 1\ngroup 64 lora A\n");
  }

  @Test
  void corruptTruncatedForeignAndMismatchedFilesAreClearErrors() {
    String text = TunerStateFormat.toText(sample(), LAYOUT);
    String flipped = text.replace("step 17", "step 18");
    assertThatThrownBy(() -> TunerStateFormat.fromText(flipped, LAYOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checksum mismatch").hasMessageContaining("intact checkpoint");
    String truncated = text.substring(0, text.length() / 2);
    assertThatThrownBy(() -> TunerStateFormat.fromText(truncated, LAYOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> TunerStateFormat.fromText("PK\u0003\u0004 zip bytes", LAYOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a version-1 hidlr tuner state");
    GroupLayout other = GroupLayout.of(new ParameterGroup("lora A", 64),
        new ParameterGroup("lora_B", 32), new ParameterGroup("head", 10));
    assertThatThrownBy(() -> TunerStateFormat.fromText(text, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saved for groups [lora A=64, lora_B=64, head=10]")
        .hasMessageContaining("restored into [lora A=64, lora_B=32, head=10]");
  }

  @Test
  void resumingFromASavedStateReproducesTheTrajectory() {
    GroupedProblem problem = GroupedProblem.perCoordinate(Functions2d.bealePlusRosenbrock());
    TunerConfig config = TunerConfig.hiDlr().setInitialRate(1e-3).optProbeEvery(3)
        .optFreeze(new FreezePolicy(1e-12, 5, 2)).build();
    double[] start = {-2, 2};
    Trajectory whole = GradientDescent.tuned(
        problem, start, HiDlrTuner.create(config, problem.layout()), 60, "whole");

    HiDlrTuner first = HiDlrTuner.create(config, problem.layout());
    Trajectory firstHalf = GradientDescent.tuned(problem, start, first, 30, "first");
    String saved = TunerStateFormat.toText(first.state(), problem.layout());
    HiDlrTuner resumed = HiDlrTuner.create(config, problem.layout());
    resumed.restore(TunerStateFormat.fromText(saved, problem.layout()));
    Trajectory secondHalf = GradientDescent.tuned(
        problem, firstHalf.finalPoint(), resumed, 30, "second");

    assertThat(secondHalf.finalPoint()).containsExactly(whole.finalPoint());
    assertThat(secondHalf.finalLoss()).isEqualTo(whole.finalLoss());
    assertThat(resumed.state()).isEqualTo(
        replay(config, problem, start, 60).state());
  }

  private static HiDlrTuner replay(TunerConfig config, GroupedProblem problem, double[] start,
      int steps) {
    HiDlrTuner tuner = HiDlrTuner.create(config, problem.layout());
    GradientDescent.tuned(problem, start, tuner, steps, "replay");
    return tuner;
  }

  @Test
  void readerStreamsWork() throws IOException {
    String text = TunerStateFormat.toText(sample(), LAYOUT);
    assertThat(TunerStateFormat.read(new StringReader(text), LAYOUT)).isEqualTo(sample());
  }
}
