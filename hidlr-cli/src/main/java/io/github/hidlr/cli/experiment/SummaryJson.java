package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.ResultRow;
import java.util.List;

/**
 * The exact shape of {@code summary.json}:
 * {@code {"experiment", "profile", "results": [{task, method, final_train_loss,
 * final_test_loss, test_accuracy, iterations_to_tol, steps, wall_seconds, diverged}]}}.
 *
 * @param experiment the experiment's name
 * @param profile the profile
 * @param results the rows
 * @param notes findings and caveats
 */
public record SummaryJson(String experiment, String profile, List<ResultRow> results,
    List<String> notes) {

  /**
   * The JSON form of a summary.
   *
   * @param summary the summary
   * @return its JSON record
   */
  public static SummaryJson of(ExperimentSummary summary) {
    return new SummaryJson(summary.experiment(), summary.profile(), summary.results(),
        summary.notes());
  }
}
