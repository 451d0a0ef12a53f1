package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.experiment.SummaryJson;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.RunOutput;
import io.github.hidlr.cli.report.SeedAggregate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one experiment into {@code out/<name>/} and prints where its files went. In the
 * {@code full} profile it runs {@value #FULL_SEEDS} seeds ({@code seed, seed + 1, …}) into
 * {@code out/<name>/seed-<s>/} and writes the mean over seeds to {@code out/<name>/}, with
 * the standard deviations in the notes.
 */
final class ExperimentRunner {

  /** Seeds per experiment in the full profile. */
  static final int FULL_SEEDS = 3;

  private ExperimentRunner() {}

  static ExperimentSummary run(Experiment experiment, CommonOptions options, PrintWriter out,
      boolean showProgress) throws Exception {
    RunOutput output = new RunOutput(options.out().resolve(experiment.name()));
    long begin = System.nanoTime();
    ExperimentSummary summary;
    if (options.profile() == Profile.FULL) {
      List<ExperimentSummary> perSeed = new ArrayList<>();
      for (int i = 0; i < FULL_SEEDS; i++) {
        long seed = options.seed() + i;
        RunOutput seedOutput = new RunOutput(output.dir().resolve("seed-" + seed));
        perSeed.add(experiment.run(
            new ExperimentContext(options.profile(), seed, seedOutput, showProgress)));
      }
      summary = SeedAggregate.of(perSeed, "seed-" + options.seed() + "/");
      output.json("summary.json", SummaryJson.of(summary));
    } else {
      summary = experiment.run(
          new ExperimentContext(options.profile(), options.seed(), output, showProgress));
    }
    out.printf("%s: done in %.1f s, files in %s%n", experiment.name(),
        (System.nanoTime() - begin) / 1e9, output.dir());
    out.flush();
    return summary;
  }
}
