package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.experiment.SummaryJson;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.RunOutput;
import io.github.hidlr.cli.report.SeedAggregate;
import io.github.hidlr.cli.experiment.Experiments;
import io.github.hidlr.cli.report.ReportWriter;
import io.github.hidlr.cli.report.ResultRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.nio.file.Path;
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
   * Rebuilds {@code report.md} from every experiment folder under {@code out} (each with a
   * {@code summary.json}; hidden folders, such as a run's staging folder, are skipped), in the
   * order of {@code hidlr list}, with the scoreboard over every seed there is: a full-profile
   * folder's {@code seed-<s>/summary.json}, else its own {@code summary.json}.
   *
   * @param out the results folder
   * @return the report's path
   * @throws IllegalArgumentException if no folder under {@code out} holds a result
   */
  static Path rebuildReport(Path out) {
    List<String> order = Experiments.all().stream().map(Experiment::name).toList();
    List<Path> folders = new ArrayList<>();
    try (Stream<Path> list = Files.isDirectory(out) ? Files.list(out) : Stream.empty()) {
      list.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> Files.isRegularFile(p.resolve("summary.json"))).forEach(folders::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + out + ": " + e.getMessage(), e);
    }
    folders.sort(Comparator.comparingInt((Path p) -> {
      int at = order.indexOf(p.getFileName().toString());
      return at < 0 ? order.size() : at;
    }).thenComparing(Path::toString));
    if (folders.isEmpty()) {
      throw new IllegalArgumentException("no experiment results under " + out + ": run"
          + " './hidlr reproduce' or './hidlr run EXPERIMENT' with --out " + out + " first");
    }
    List<ExperimentSummary> summaries = new ArrayList<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    List<List<ResultRow>> rowsPerSeed = new ArrayList<>();
    Set<List<Long>> seedSets = new LinkedHashSet<>();
    for (Path folder : folders) {
      SummaryJson json = readSummary(folder.resolve("summary.json"));
      summaries.add(json.toSummary());
      String name = json.experiment();
      descriptions.put(name, order.contains(name) ? Experiments.named(name).description() : "");
      List<Long> seeds = json.seeds() == null || json.seeds().isEmpty() ? seedFolders(folder)
          : json.seeds();
      seedSets.add(seeds);
      List<List<ResultRow>> perSeed = new ArrayList<>();
      for (long seed : seeds) {
        Path seedSummary = folder.resolve("seed-" + seed).resolve("summary.json");
        if (seeds.size() > 1 && Files.isRegularFile(seedSummary)) {
          perSeed.add(readSummary(seedSummary).results());
        }
      }
      if (perSeed.isEmpty()) {
        perSeed.add(json.results());
      }
      for (int i = 0; i < perSeed.size(); i++) {
        if (rowsPerSeed.size() <= i) {
          rowsPerSeed.add(new ArrayList<>());
        }
        rowsPerSeed.get(i).addAll(perSeed.get(i));
      }
    }
    List<Long> seeds = seedSets.size() == 1 ? seedSets.iterator().next() : List.of();
    return ReportWriter.write(out, summaries, descriptions, seeds, rowsPerSeed);
  }

  /** The seeds of the {@code seed-<s>} folders holding a summary (results written before
   * {@code summary.json} recorded its seeds). */
  private static List<Long> seedFolders(Path folder) {
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("seed-\\d+"))
          .filter(n -> Files.isRegularFile(folder.resolve(n).resolve("summary.json")))
          .map(n -> Long.parseLong(n.substring("seed-".length()))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * An experiment's {@code summary.json}.
   *
   * @param file the file
   * @return its contents
   * @throws IllegalArgumentException if it cannot be read, naming the command that rewrites it
   */
  static SummaryJson readSummary(Path file) {
    try {
      return RunOutput.JSON.readValue(file.toFile(), SummaryJson.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not a readable summary ("
          + e.getMessage().lines().findFirst().orElse("") + "): rerun that experiment with"
          + " './hidlr run " + file.getParent().getFileName() + "'", e);
    }
  }

  /**
   * Runs an experiment atomically: into a hidden staging folder beside its target
   * ({@code out/.<name>.partial}), renamed into place only when complete. An interrupted or
   * failed run leaves the previous results as they were, and a staging folder left by a
   * killed run is never read as a result (the report skips hidden folders) and is cleared by
   * the next run.
   *
   * @param experiment the experiment
   * @param options profile, seed and output folder
   * @param out where to say what happened
   * @param showProgress whether to draw progress bars
   * @return what it produced
   * @throws Exception what the experiment threw, after the staging folder was removed
   */
  static Outcome run(Experiment experiment, CommonOptions options, PrintWriter out,
      boolean showProgress) throws Exception {
    Path target = options.out().resolve(experiment.name());
    Path staging = options.out().resolve("." + experiment.name() + ".partial");
    OutputFolders.prepare(options.out());
    OutputFolders.delete(staging);
    long begin = System.nanoTime();
    Outcome outcome;
    try {
      outcome = runInto(experiment, options, new RunOutput(staging), showProgress);
      OutputFolders.replace(staging, target);
    } catch (Exception | Error e) {
      OutputFolders.delete(staging);
      throw e;
    }
    out.printf("%s: done in %.1f s, files in %s%n", experiment.name(),
        (System.nanoTime() - begin) / 1e9, target);
    out.flush();
    return outcome;
  }

  private static Outcome runInto(Experiment experiment, CommonOptions options, RunOutput output,
      boolean showProgress) throws Exception {
    ExperimentSummary summary;
    List<ExperimentSummary> perSeed = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    if (options.profile() == Profile.FULL) {
      for (int i = 0; i < FULL_SEEDS; i++) {
        long seed = options.seed() + i;
        seeds.add(seed);
        RunOutput seedOutput = new RunOutput(output.dir().resolve("seed-" + seed));
        perSeed.add(experiment.run(
            new ExperimentContext(options.profile(), seed, seedOutput, showProgress,
                options.policies())));
      }
      summary = SeedAggregate.of(perSeed, "seed-" + options.seed() + "/");
      output.json("summary.json", SummaryJson.of(summary, seeds));
    } else {
      summary = experiment.run(
          new ExperimentContext(options.profile(), options.seed(), output, showProgress,
              options.policies()));
      perSeed.add(summary);
      seeds.add(options.seed());
    }
    return new Outcome(summary, seeds, perSeed);
  }
}
