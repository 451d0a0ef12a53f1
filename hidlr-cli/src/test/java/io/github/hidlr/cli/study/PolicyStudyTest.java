package io.github.hidlr.cli.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.report.Verdict.Outcome;
import io.github.hidlr.cli.training.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStudyTest {

  private static ResultRow acc(String task, String method, double accuracy, boolean diverged) {
    return new ResultRow(task, method, 0.5, 0.5, accuracy, null, 100L, 1.0, diverged);
  }

  private static ResultRow loss(String task, String method, double loss) {
    return new ResultRow(task, method, loss, loss, null, null, 100L, 1.0, false);
  }

  @Test
  void judgesEveryPolicyAgainstTheBestMethodThatIsNotHiDlr() {
    List<List<ResultRow>> seeds = List.of(
        List.of(acc("img", "ulr-best (ulr 0.001)", 0.80, false), acc("img", "prodigy", 0.85, false),
            acc("img", "hi-ulr", 0.99, false), acc("img", "hi-dlr", 0.86, false),
            acc("img", "hi-dlr-paper", 0.70, false),
            loss("nam", "ulr-best (ulr 0.01)", 0.10), loss("nam", "hi-dlr", 0.102),
            loss("nam", "hi-dlr-paper", 21.0)),
        List.of(acc("img", "ulr-best (ulr 0.003)", 0.81, false), acc("img", "prodigy", 0.85, false),
            acc("img", "hi-ulr", 0.99, false), acc("img", "hi-dlr", 0.86, false),
            acc("img", "hi-dlr-paper", 0.10, true),
            loss("nam", "ulr-best (ulr 0.01)", 0.10), loss("nam", "hi-dlr", 0.098),
            loss("nam", "hi-dlr-paper", 15.0)));
    PolicyStudy study = PolicyStudy.analyse(List.of(42L, 1L), seeds, Policy.reported());
    assertThat(study.tasks()).containsExactly("img", "nam");
    // hi-ulr is Hi-DLR's own special case: the baseline is Prodigy, not hi-ulr
    assertThat(study.verdicts().get("img").get("hi-dlr").baselineName()).isEqualTo("prodigy");
    assertThat(study.verdicts().get("img").get("hi-dlr").outcome()).isEqualTo(Outcome.WIN);
    assertThat(study.verdicts().get("img").get("hi-dlr-paper").outcome())
        .isEqualTo(Outcome.DIVERGED);
    assertThat(study.verdicts().get("nam").get("hi-dlr").outcome()).isEqualTo(Outcome.TIE);
    assertThat(study.verdicts().get("nam").get("hi-dlr-paper").outcome())
        .isEqualTo(Outcome.LOSS);
    assertThat(study.tally("hi-dlr")).containsExactly(1, 1, 0, 0);
    assertThat(study.tally("hi-dlr-paper")).containsExactly(0, 0, 1, 1);
  }

  @Test
  void aNamedPolicyThatIsNotStudiedIsNeverTheBaseline() {
    List<List<ResultRow>> seeds = List.of(List.of(acc("img", "ulr-best", 0.80, false),
        acc("img", "linear-ema", 0.95, false), acc("img", "hi-dlr", 0.81, false)));
    PolicyStudy study = PolicyStudy.analyse(List.of(42L), seeds, List.of(Policy.DEFAULT));
    assertThat(study.verdicts().get("img").get("hi-dlr").baselineName()).isEqualTo("ulr-best");
  }

  @Test
  void theScoreboardShowsTheReportedPoliciesAndThoseThatRanInSeveralExperiments() {
    ExperimentSummary images = new ExperimentSummary("image-cls", "quick", List.of(
        acc("a", "ulr-best", 0.8, false), acc("a", "hi-dlr", 0.8, false),
        acc("a", "hi-dlr-paper", 0.8, false), acc("a", "hi-dlr-nobc", 0.8, false),
        acc("a", "hi-dlr-cosine", 0.8, false)), List.of(), List.of());
    ExperimentSummary tables = new ExperimentSummary("nam", "quick", List.of(
        acc("b", "ulr-best", 0.8, false), acc("b", "hi-dlr", 0.8, false),
        acc("b", "hi-dlr-paper", 0.8, false), acc("b", "hi-dlr-nobc", 0.8, false)),
        List.of(), List.of());
    assertThat(io.github.hidlr.cli.report.ReportWriter.scoreboardPolicies(
        List.of(images, tables))).as("hi-dlr-cosine ran in one experiment only")
        .extracting(Policy::name).containsExactly("hi-dlr", "hi-dlr-paper", "hi-dlr-nobc");
  }

  @Test
  void tasksWithoutTheStudiedPoliciesOrAMetricAreLeftOut() {
    List<List<ResultRow>> seeds = List.of(List.of(
        acc("full-ft", "full-ft", 0.83, false),
        new ResultRow("flat", "hi-dlr", 0.0, null, null, null, 100L, 0.0, false)));
    PolicyStudy study = PolicyStudy.analyse(List.of(42L), seeds, Policy.reported());
    assertThat(study.tasks()).isEmpty();
  }

  @Test
  void withoutATestMetricIterationsToToleranceAreJudged() {
    List<List<ResultRow>> seeds = List.of(List.of(
        new ResultRow("ellipse", "hi-dlr", 0.0, null, null, 1, 100L, 0.0, false),
        new ResultRow("ellipse", "ulr-best", 0.0, null, null, 46, 100L, 0.0, false)));
    PolicyStudy study = PolicyStudy.analyse(List.of(42L), seeds, List.of(Policy.DEFAULT));
    assertThat(study.verdicts().get("ellipse").get("hi-dlr").outcome()).isEqualTo(Outcome.WIN);
    assertThat(study.verdicts().get("ellipse").get("hi-dlr").metric())
        .isEqualTo("iterations to tolerance");
  }
}
