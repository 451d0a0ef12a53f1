package io.github.hidlr.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code hidlr} command: Hessian-informed differential learning rates. */
@Command(name = "hidlr", mixinStandardHelpOptions = true, version = "hidlr 0.1.0",
    description = "Hessian-informed differential learning rates (Hi-DLR) on the JVM: reproduce"
        + " the paper's experiments, benchmark, fetch data.",
    subcommands = {ReproduceCommand.class, RunCommand.class, ListCommand.class,
        BenchCommand.class, StudyCommand.class, ReportCommand.class,
        io.github.hidlr.cli.data.DataCommand.class,
        CommandLine.HelpCommand.class})
public final class HidlrCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }
}
