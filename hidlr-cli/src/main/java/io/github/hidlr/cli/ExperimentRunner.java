package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.RunOutput;
import java.io.PrintWriter;

/** Runs one experiment into {@code out/<name>/} and prints where its files went. */
final class ExperimentRunner {

  private ExperimentRunner() {}

  static ExperimentSummary run(Experiment experiment, CommonOptions options, PrintWriter out,
      boolean showProgress) throws Exception {
    RunOutput output = new RunOutput(options.out().resolve(experiment.name()));
    long begin = System.nanoTime();
    ExperimentSummary summary = experiment.run(
        new ExperimentContext(options.profile(), options.seed(), output, showProgress));
    out.printf("%s: done in %.1f s, files in %s%n", experiment.name(),
        (System.nanoTime() - begin) / 1e9, output.dir());
    out.flush();
    return summary;
  }
}
