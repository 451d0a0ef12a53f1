package io.github.hidlr.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hidlr report}: rebuilds {@code report.md} from every experiment folder there is. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Rebuild report.md from every experiment folder under --out.")
public final class ReportCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "results",
      description = "results folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("report: " + ExperimentRunner.rebuildReport(out));
    return 0;
  }
}
