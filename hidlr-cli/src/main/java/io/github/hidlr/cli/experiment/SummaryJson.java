package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.ResultRow;
import java.util.List;

/**
 * The exact shape of {@code summary.json}:
 * {@code {"experiment", "profile", "seeds", "results": [{task, method, final_train_loss,
 * final_test_loss, test_accuracy, iterations_to_tol, steps, wall_seconds, diverged}],
 * "notes", "plots"}}. {@code hidlr report} reads it back.
 *
 * @param experiment the experiment's name
 * @param profile the profile
 * @param seeds the seeds the results come from (several: the results are their mean)
 * @param results the rows
 * @param notes findings and caveats
 * @param plots the PNG files in the experiment's folder, for the report
 */
public record SummaryJson(String experiment, String profile, List<Long> seeds,
    List<ResultRow> results, List<String> notes, List<String> plots) {

  /**
   * The JSON form of a summary.
   *
   * @param summary the summary
   * @param seeds the seeds it comes from
   * @return its JSON record
   */
  public static SummaryJson of(ExperimentSummary summary, List<Long> seeds) {
    return new SummaryJson(summary.experiment(), summary.profile(), List.copyOf(seeds),
        summary.results(), summary.notes(), summary.plots());
  }

  /**
   * The JSON form of a one-seed summary.
   *
   * @param summary the summary
   * @param seed its seed
   * @return its JSON record
   */
  public static SummaryJson of(ExperimentSummary summary, long seed) {
    return of(summary, List.of(seed));
  }

  /**
   * Back to a summary, for the report.
   *
   * @return the summary
   */
  public ExperimentSummary toSummary() {
    return new ExperimentSummary(experiment, profile, results == null ? List.of() : results,
        notes == null ? List.of() : notes, plots == null ? List.of() : plots);
  }
}
