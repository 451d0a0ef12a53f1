package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.Experiments;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hidlr reproduce}: every experiment, then {@code report.md}. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Run every experiment of the paper, then write report.md.")
public final class ReproduceCommand implements Callable<Integer> {

  @Mixin
  CommonOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (Experiment experiment : Experiments.all()) {
      ExperimentRunner.run(experiment, options, spec.commandLine().getOut(), true);
    }
    Path report = ExperimentRunner.rebuildReport(options.out());
    spec.commandLine().getOut().println("report: " + report);
    return 0;
  }
}
