package io.github.hidlr.cli;

import io.github.hidlr.cli.bench.BenchOptions;
import io.github.hidlr.cli.bench.HiDlrBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code hidlr bench}: the Hi-DLR vs base-optimizer step-time benchmark
 * ({@link HiDlrBenchmark}); other options pass through to it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark Hi-DLR against its base optimizer (Adam) on an MLP 784-512-512-10,"
        + " side by side in one process; writes bench.json and prints the table. Further"
        + " options (--steps, --rounds, --k, --phi, --threads, --clock …) go to the benchmark.")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "results/bench", description = "output folder")
  String out;

  @Option(names = "--quick", description = "fewer configurations and steps")
  boolean quick;

  @Unmatched
  List<String> passthrough = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(List.of("--out", out));
    if (quick) {
      args.add("--quick");
    }
    args.addAll(passthrough);
    if (args.contains("--help") || args.contains("-h")) {
      System.out.println(BenchOptions.USAGE);
      return 0;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      System.err.println("hidlr bench: " + e.getMessage());
      return 2;
    }
    new HiDlrBenchmark(options, System.out).run();
    return 0;
  }
}
