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

  /**
   * What one experiment produced.
   *
   * @param summary the summary (the mean over seeds in the full profile)
   * @param seeds the seeds it ran
   * @param perSeed one summary per seed, in the order of {@code seeds}
   */
  record Outcome(ExperimentSummary summary, List<Long> seeds, List<ExperimentSummary> perSeed) {}

  /**
   * Writes {@code report.md} for some experiments' outcomes, with the scoreboard over their
   * seeds.
   *
   * @param out the results folder
   * @param outcomes the outcomes, in order
   * @param experiments the experiments, in the same order
   * @return the report's path
   */
  static java.nio.file.Path report(java.nio.file.Path out, List<Outcome> outcomes,
      List<Experiment> experiments) {
    java.util.Map<String, String> descriptions = new java.util.LinkedHashMap<>();
    experiments.forEach(e -> descriptions.put(e.name(), e.description()));
    List<Long> seeds = outcomes.isEmpty() ? List.of() : outcomes.get(0).seeds();
    List<List<io.github.hidlr.cli.report.ResultRow>> rows = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      List<io.github.hidlr.cli.report.ResultRow> perSeed = new ArrayList<>();
      for (Outcome o : outcomes) {
        perSeed.addAll(o.perSeed().get(i).results());
      }
      rows.add(perSeed);
    }
    return io.github.hidlr.cli.report.ReportWriter.write(out,
        outcomes.stream().map(Outcome::summary).toList(), descriptions, seeds, rows);
  }

  static Outcome run(Experiment experiment, CommonOptions options, PrintWriter out,
      boolean showProgress) throws Exception {
    RunOutput output = new RunOutput(options.out().resolve(experiment.name()));
    long begin = System.nanoTime();
    ExperimentSummary summary;
    List<ExperimentSummary> perSeed = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    if (options.profile() == Profile.FULL) {
      for (int i = 0; i < FULL_SEEDS; i++) {
        long seed = options.seed() + i;
        seeds.add(seed);
        RunOutput seedOutput = new RunOutput(output.dir().resolve("seed-" + seed));
        perSeed.add(experiment.run(
            new ExperimentContext(options.profile(), seed, seedOutput, showProgress)));
      }
      summary = SeedAggregate.of(perSeed, "seed-" + options.seed() + "/");
      output.json("summary.json", SummaryJson.of(summary));
    } else {
      summary = experiment.run(
          new ExperimentContext(options.profile(), options.seed(), output, showProgress));
      perSeed.add(summary);
      seeds.add(options.seed());
    }
    out.printf("%s: done in %.1f s, files in %s%n", experiment.name(),
        (System.nanoTime() - begin) / 1e9, output.dir());
    out.flush();
    return new Outcome(summary, seeds, perSeed);
  }
}
