package io.github.hidlr.cli.report;

import java.util.List;

/**
 * The {@code summary.json} of one experiment run, plus the notes and plots the report shows.
 *
 * @param experiment the experiment's name
 * @param profile {@code tiny}, {@code quick} or {@code full}
 * @param results one row per task and method
 * @param notes plain-language findings and caveats, for the report
 * @param plots PNG file names in the experiment's folder, for the report
 */
public record ExperimentSummary(
    String experiment, String profile, List<ResultRow> results, List<String> notes,
    List<String> plots) {

  /** Copies the lists. */
  public ExperimentSummary {
    results = List.copyOf(results);
    notes = List.copyOf(notes);
    plots = List.copyOf(plots);
  }
}
