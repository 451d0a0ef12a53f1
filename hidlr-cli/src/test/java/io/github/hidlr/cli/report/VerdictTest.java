package io.github.hidlr.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hidlr.cli.report.Verdict.Outcome;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

  @Test
  void oneSeedUsesTheStatedThresholds() {
    assertThat(accuracy(List.of(0.826), List.of(0.829)).outcome()).isEqualTo(Outcome.TIE);
    assertThat(accuracy(List.of(0.835), List.of(0.829)).outcome()).isEqualTo(Outcome.WIN);
    assertThat(accuracy(List.of(0.739), List.of(0.797)).outcome()).isEqualTo(Outcome.LOSS);
    // losses: within 5% of the baseline is a tie, and both at the float floor is a tie
    assertThat(loss(List.of(0.1299), List.of(0.125)).outcome()).isEqualTo(Outcome.TIE);
    assertThat(loss(List.of(0.2), List.of(0.125)).outcome()).isEqualTo(Outcome.LOSS);
    assertThat(loss(List.of(2.052e-14), List.of(2.0e-16)).outcome()).isEqualTo(Outcome.TIE);
    assertThat(loss(List.of(1e-3), List.of(0.1)).outcome()).isEqualTo(Outcome.WIN);
  }

  @Test
  void severalSeedsTieWithinTheirSpread() {
    // means 0.80 vs 0.82, but the seeds spread by ~0.03: a tie
    assertThat(accuracy(List.of(0.77, 0.80, 0.83), List.of(0.82, 0.82, 0.82)).outcome())
        .isEqualTo(Outcome.TIE);
    // the same means with tight seeds: a loss
    assertThat(accuracy(List.of(0.799, 0.80, 0.801), List.of(0.82, 0.821, 0.819)).outcome())
        .isEqualTo(Outcome.LOSS);
  }

  @Test
  void aDivergedSeedIsADivergenceWhateverTheMetric() {
    Verdict v = Verdict.judge("test loss", false, List.of(0.01, 0.01), true, List.of(0.1, 0.1), "ulr-best");
    assertThat(v.outcome()).isEqualTo(Outcome.DIVERGED);
    Verdict nan = Verdict.judge("test loss", false, Arrays.asList(0.01, Double.NaN), false,
        List.of(0.1, 0.1), "ulr-best");
    assertThat(nan.outcome()).isEqualTo(Outcome.DIVERGED);
  }

  @Test
  void statisticsAreTheSampleMeanAndStandardDeviation() {
    Verdict.Stat s = Verdict.Stat.of(List.of(1.0, 2.0, 3.0));
    assertThat(s.mean()).isEqualTo(2.0);
    assertThat(s.std()).isEqualTo(1.0);
    assertThat(s.toString()).isEqualTo("2.0000 ± 1.0");
  }

  private static Verdict accuracy(List<Double> hiDlr, List<Double> base) {
    return Verdict.judge("test accuracy", true, hiDlr, false, base, "base");
  }

  private static Verdict loss(List<Double> hiDlr, List<Double> base) {
    return Verdict.judge("test loss", false, hiDlr, false, base, "base");
  }
}
