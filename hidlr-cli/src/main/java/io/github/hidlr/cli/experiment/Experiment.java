package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.report.ExperimentSummary;

/** One of the paper's experiments, runnable at any {@link io.github.hidlr.cli.Profile}. */
public interface Experiment {

  /**
   * The name used on the command line and as the folder name.
   *
   * @return e.g. {@code "functions-2d"}
   */
  String name();

  /**
   * One line for {@code hidlr list} and the report.
   *
   * @return the description
   */
  String description();

  /**
   * Runs every method of the experiment with the same seed and data, writing
   * {@code config.json}, {@code summary.json}, CSV traces and plots into the context's folder.
   *
   * @param context profile, seed, output and progress
   * @return the summary (also written as {@code summary.json})
   * @throws Exception if the experiment fails
   */
  ExperimentSummary run(ExperimentContext context) throws Exception;

  /**
   * Roughly how many seconds the quick profile takes on one core. {@code hidlr reproduce
   * --jobs} starts the longest experiments first (longest-processing-time scheduling), so that
   * a long one does not start last; only the order of the runs depends on it.
   *
   * @return seconds, measured on the 2-core development machine
   */
  default double quickSeconds() {
    return 30;
  }
}
