package io.github.hidlr.cli;

import picocli.CommandLine;

/** Entry point of the {@code hidlr} command. */
public final class Main {

  /** PyTorch's intra-op threads, unless the user set {@code ai.djl.pytorch.num_threads}. */
  static final String DEFAULT_TORCH_THREADS = "1";

  private Main() {}

  /**
   * The experiments' models are small: with two intra-op threads on two cores, PyTorch's
   * thread pool fought the JVM's own threads and ran the MoE experiment in 404 s instead of
   * 12 s here (measured side by side). One thread is the default; set
   * {@code -Dai.djl.pytorch.num_threads=N} to change it. Must run before DJL's engine loads.
   */
  private static void singleThreadedTorchUnlessSet() {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", DEFAULT_TORCH_THREADS);
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", DEFAULT_TORCH_THREADS);
    }
  }

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
    singleThreadedTorchUnlessSet();
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
