package io.github.hidlr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code hidlr bench}: the Hi-DLR vs base-optimizer step-time benchmark of hidlr-djl
 * ({@link io.github.hidlr.djl.bench.HiDlrBenchmark}); other options pass through to it.
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
    io.github.hidlr.djl.bench.HiDlrBenchmark.main(args.toArray(String[]::new));
    return 0;
  }
}
