package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.Experiments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hidlr run EXPERIMENT}: one experiment. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run one experiment (see 'hidlr list').")
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "the experiment's name")
  String name;

  @Mixin
  CommonOptions options;

  /** Set by {@code hidlr reproduce --jobs}, which writes the report once all are done. */
  @Option(names = "--no-report", hidden = true, description = "do not rebuild report.md")
  boolean noReport;

  /** Set by {@code hidlr reproduce --jobs}, whose children write to log files. */
  @Option(names = "--no-progress", hidden = true, description = "draw no progress bars")
  boolean noProgress;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Experiment experiment = Experiments.named(name);
    ExperimentRunner.run(experiment, options, spec.commandLine().getOut(), !noProgress);
    if (!noReport) {
      spec.commandLine().getOut().println("report: " + ExperimentRunner.rebuildReport(
          options.out()));
    }
    return 0;
  }
}
