package io.github.hidlr.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plots of diverged runs still draw (their lines end where they diverged). */
class PlotsTest {

  private static final double[] STEPS = {1, 2, 3, 4, 5};
  private static final double[] DIVERGED = {1, 0.5, Double.NaN, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY};

  @Test
  void nonFiniteValuesAreLeftOutOnLinearAndLogAxes(@TempDir Path dir) throws Exception {
    RunOutput out = new RunOutput(dir);
    List<Plots.Line> lines = List.of(new Plots.Line("ulr-best", STEPS, new double[] {1, 2, 3,
        4, 5}), new Plots.Line("hi-dlr A", STEPS, DIVERGED));
    Plots.lines(out, "linear.png", "t", "step", "loss", false, lines);
    Plots.lines(out, "log.png", "t", "step", "loss", true, lines);
    Plots.panels(out, "panels.png", "t", "x", "f", List.of(
        new Plots.Panel("f0", List.of(new Plots.Line(Plots.TRUTH + " f0", STEPS, STEPS),
            new Plots.Line("hi-dlr f0", STEPS, DIVERGED)))));
    assertThat(out.plots()).containsExactly("linear.png", "log.png", "panels.png");
    for (String plot : out.plots()) {
      assertThat(Files.size(dir.resolve(plot))).isGreaterThan(2_000);
    }
  }
}
