package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.Experiments;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hidlr reproduce}: every experiment, then {@code report.md}. With {@code --jobs N > 1}
 * (the default on a machine with several cores) the experiments run in {@code N} child
 * processes at a time ({@link ChildRuns}), each on one PyTorch thread; the results are those
 * of running them one by one.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Run every experiment of the paper, then write report.md.")
public final class ReproduceCommand implements Callable<Integer> {

  @Mixin
  CommonOptions options;

  /** Most experiments a default run starts at once: each holds its models in memory. */
  static final int MAX_DEFAULT_JOBS = 4;

  @Option(names = "--jobs", description = "experiments run at once, each in its own process on"
      + " one core (default: the cores, at most " + MAX_DEFAULT_JOBS + "; 1 runs them one by"
      + " one in this process)")
  Integer jobs;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    int n = jobs != null ? jobs
        : Math.min(Runtime.getRuntime().availableProcessors(), MAX_DEFAULT_JOBS);
    List<ChildRuns.Failure> failures = List.of();
    if (n == 1) {
      for (Experiment experiment : Experiments.all()) {
        ExperimentRunner.run(experiment, options, out, true);
      }
    } else {
      // Longest first: the last to start is then a short one.
      failures = ChildRuns.run(Experiments.all().stream()
          .sorted(Comparator.comparingDouble(Experiment::quickSeconds).reversed())
          .map(e -> ChildRuns.experiment(e.name(), options)).toList(),
          options.out().toAbsolutePath().resolve("logs"), n, out);
    }
    for (ChildRuns.Failure failure : failures) {
      spec.commandLine().getErr().println("hidlr: " + failure.label() + " failed ("
          + failure.reason() + "); its output is in " + failure.log() + ", and earlier results"
          + " of it, if any, were kept. Rerun it with './hidlr run " + failure.label()
          + "'.");
    }
    Path report = ExperimentRunner.rebuildReport(options.out());
    out.println("report: " + report);
    return failures.isEmpty() ? 0 : 1;
  }
}
