package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.Experiments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hidlr list}: the experiments, one per line. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments.")
public final class ListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    for (Experiment experiment : Experiments.all()) {
      spec.commandLine().getOut().printf("%-16s %s%n", experiment.name(), experiment.description());
    }
    return 0;
  }
}
