package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.experiment.Experiments;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.report.RunOutput;
import io.github.hidlr.cli.study.PolicyStudy;
import io.github.hidlr.cli.study.StudyWriter;
import io.github.hidlr.cli.training.Policy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hidlr study}: every named policy × every experiment with a learning-rate comparison ×
 * several seeds, side by side with the baselines; writes {@code study.md}, {@code study.json},
 * {@code study.csv} and {@code study.png}. How the default policy is chosen (docs/POLICY.md).
 */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run Hi-DLR policy variants × tasks × seeds beside the baselines; write"
        + " study.md with wins, ties and losses.")
public final class StudyCommand implements Callable<Integer> {

  @Option(names = "--profile", defaultValue = "quick",
      description = "tiny, quick or full (default: ${DEFAULT-VALUE})",
      converter = CommonOptions.ProfileConverter.class)
  Profile profile;

  @Option(names = "--seeds", split = ",", defaultValue = "42,1,2",
      description = "seeds, comma-separated (default: ${DEFAULT-VALUE})")
  List<Long> seeds;

  @Option(names = "--policies", split = ",",
      description = "policies to compare, comma-separated (default: every named policy: hi-dlr,"
          + " hi-dlr-paper, hi-dlr-nobc, hi-dlr-log, linear-ema, hi-dlr-direct, joint-only,"
          + " uphill-only, hi-dlr-cosine, linear-cosine, hi-dlr-cooldown, hi-dlr-candidate,"
          + " candidate-cosine, hi-dlr-heldout, heldout-cooldown)")
  List<String> policies;

  @Option(names = "--experiments", split = ",",
      description = "experiments to run (default: every one but functions-2d)")
  List<String> experiments;

  @Option(names = "--out", defaultValue = "results/study",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--jobs", description = "runs (one experiment and seed each) at once, each in"
      + " its own process on one core (default: the cores, at most "
      + ReproduceCommand.MAX_DEFAULT_JOBS + "; 1 runs them one by one in this process)")
  Integer jobs;

  /** Set for the children of {@code --jobs}: run, write each summary, and analyse nothing. */
  @Option(names = "--part", hidden = true, description = "only run; write no table")
  boolean part;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // A policy or seed named twice runs once: duplicates would count as extra seeds, and two
    // children with the same seed would share one folder.
    List<Policy> chosen = policies == null ? Policy.all()
        : policies.stream().map(Policy::named).distinct().toList();
    seeds = seeds.stream().distinct().toList();
    List<Experiment> runs = new ArrayList<>();
    for (Experiment e : Experiments.all()) {
      if (experiments == null ? !e.name().equals("functions-2d")
          : experiments.contains(e.name())) {
        runs.add(e);
      }
    }
    if (runs.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no experiment"
          + " matches " + experiments + "; known: " + Experiments.all().stream()
          .map(Experiment::name).toList());
    }
    PrintWriter said = spec.commandLine().getOut();
    int n = part ? 1 : jobs != null ? jobs
        : Math.min(Runtime.getRuntime().availableProcessors(), ReproduceCommand.MAX_DEFAULT_JOBS);
    if (n < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--jobs must be at least 1, got " + n);
    }
    // The table is made from the summaries the runs write: none may be left from an earlier
    // study in the same folder.
    for (long seed : seeds) {
      for (Experiment experiment : runs) {
        Files.deleteIfExists(folder(seed, experiment).resolve("summary.json"));
      }
    }
    if (n == 1) {
      for (long seed : seeds) {
        for (Experiment experiment : runs) {
          RunOutput output = new RunOutput(folder(seed, experiment));
          experiment.run(new ExperimentContext(profile, seed, output, !part, chosen));
          said.printf("study: %s seed %d done%n", experiment.name(), seed);
          said.flush();
        }
      }
      if (part) {
        return 0;
      }
    } else {
      List<ChildRuns.Failure> failures = ChildRuns.run(children(runs, chosen),
          out.toAbsolutePath().resolve("logs"), n, said);
      for (ChildRuns.Failure failure : failures) {
        spec.commandLine().getErr().println("hidlr: study run " + failure.label() + " failed ("
            + failure.reason() + "); its output is in " + failure.log() + ".");
      }
      if (!failures.isEmpty()) {
        return 1;
      }
    }
    // Both ways, the table is made from the summaries the runs wrote.
    List<List<ResultRow>> rowsPerSeed = new ArrayList<>();
    for (long seed : seeds) {
      List<ResultRow> rows = new ArrayList<>();
      for (Experiment experiment : runs) {
        rows.addAll(ExperimentRunner.readSummary(folder(seed, experiment)
            .resolve("summary.json")).results());
      }
      rowsPerSeed.add(rows);
    }
    PolicyStudy study = PolicyStudy.analyse(seeds, rowsPerSeed, chosen);
    String command = "./hidlr study --profile " + profile.label() + " --seeds "
        + seeds.stream().map(String::valueOf).collect(Collectors.joining(","))
        + " --policies " + Policy.names(chosen)
        + (experiments == null ? "" : " --experiments " + String.join(",", experiments));
    Path md = StudyWriter.write(new RunOutput(out), study, rowsPerSeed, command);
    said.println(StudyWriter.markdown(study, command));
    said.println("study: " + md);
    return 0;
  }

  private Path folder(long seed, Experiment experiment) {
    return out.resolve("seed-" + seed).resolve(experiment.name());
  }

  /** One {@code study --part} child per experiment and seed, the longest experiments first. */
  private List<ChildRuns.Job> children(List<Experiment> runs, List<Policy> chosen) {
    List<ChildRuns.Job> children = new ArrayList<>();
    List<Experiment> longestFirst = runs.stream()
        .sorted(Comparator.comparingDouble(Experiment::quickSeconds).reversed()).toList();
    for (Experiment experiment : longestFirst) {
      for (long seed : seeds) {
        children.add(new ChildRuns.Job("seed-" + seed + "-" + experiment.name(), List.of(
            "study", "--part", "--profile", profile.label(), "--seeds", Long.toString(seed),
            "--experiments", experiment.name(), "--policies",
            Policy.names(chosen),
            "--out", out.toAbsolutePath().toString())));
      }
    }
    return children;
  }
}
