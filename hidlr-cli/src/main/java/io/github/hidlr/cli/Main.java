package io.github.hidlr.cli;

import picocli.CommandLine;

/** Entry point of the {@code hidlr} command. */
public final class Main {

  private Main() {}

  /**
   * Runs the command and exits with its code: 0 ok, 1 failure, 2 bad usage.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command without exiting, for tests.
   *
   * @param args command-line arguments
   * @return the exit code
   */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new HidlrCommand());
    commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
      cmd.getErr().println("hidlr: " + exception.getMessage());
      if (System.getenv("HIDLR_TRACE") != null) {
        exception.printStackTrace(cmd.getErr());
      }
      return exception instanceof IllegalArgumentException ? 2 : 1;
    });
    return commandLine.execute(args);
  }
}
