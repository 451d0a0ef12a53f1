package io.github.hidlr.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The speed benchmark of Hi-DLR (ALGORITHM.md §5): an MLP 784-512-512-10 (batch 128, synthetic
 * data) trained with Adam and with Hi-DLR over Adam, for {@code K = 1, 2, 4, 8} groups and probe
 * periods {@code Φ = 1, 4, 8}, side by side in one process with interleaved rounds.
 *
 * <p>For each configuration it reports the measured relative speed
 * {@code step_base / step_hidlr} next to the bound
 * <pre>
 *   (F + B + O) / (F + B + O + P·F/Φ)
 * </pre>
 * with {@code F}, {@code B}, {@code O} the measured forward, backward and update times and
 * {@code P = 2K + 1} the forward passes of a SYMMETRIC probe. It writes {@code bench.json} (one
 * object per configuration), {@code config.json} (the settings and the machine) into the output
 * folder and prints the same rows as a table.
 *
 * <pre>{@code
 * java -Dai.djl.offline=true -cp ... io.github.hidlr.cli.bench.HiDlrBenchmark --threads 1 --clock cpu
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 failure while running, 2 bad arguments.
 */
public final class HiDlrBenchmark {

  /** Target of the issue: the measured ratio should reach this fraction of the bound. */
  public static final double TARGET_FRACTION_OF_FLOOR = 0.9;

  private final BenchOptions options;
  private final PrintStream out;

  /**
   * A benchmark with these options, printing to {@code out}.
   *
   * @param options the options
   * @param out where the progress and the table go
   */
  public HiDlrBenchmark(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * Runs every configuration, prints the table, and writes {@code bench.json} and
   * {@code config.json}.
   *
   * @return the rows, in the order run
   */
  public List<BenchRow> run() {
    Engine engine = Engine.getInstance();
    if (options.threads() > 0) {
      JniUtils.setNumThreads(options.threads());
    }
    // Probes and the forward blocks must not record autograd graphs; grad mode is per thread
    // and only off by default on the thread that loaded the engine.
    JniUtils.setGradMode(false);
    Map<String, Object> environment = environment(engine);
    String loadBefore = loadAverage();
    environment.put("load_average_before", loadBefore);
    warnIfBusy(loadBefore);
    out.println("hidlr benchmark: " + MlpWorkload.NAME + ", Adam vs Hi-DLR (SYMMETRIC), "
        + options.describe());
    out.println("machine: " + environment);
    List<BenchRow> rows = new ArrayList<>();
    int total = options.groupCounts().size() * options.probePeriods().size();
    long begin = System.nanoTime();
    try (MlpWorkload workload =
        MlpWorkload.synthetic(options.batch(), options.batches(), options.seed())) {
      SideBySide bench = new SideBySide(workload, options);
      for (int k : options.groupCounts()) {
        for (int phi : options.probePeriods()) {
          BenchRow row = bench.measure(k, phi);
          rows.add(row);
          out.printf(Locale.ROOT, "[%d/%d] K=%d Φ=%d: adam %.2f ms, hi-dlr %.2f ms per step;"
                  + " measured %.3f, floor %.3f (%.0f%% of the floor), %.0f s elapsed%n",
              rows.size(), total, k, phi, row.stepMsBase(), row.stepMsHidlr(),
              row.measuredRatio(), row.floorRatio(), 100 * row.fractionOfFloor(),
              (System.nanoTime() - begin) / 1e9);
        }
      }
    }
    String loadAfter = loadAverage();
    environment.put("load_average_after", loadAfter);
    warnIfBusy(loadAfter);
    out.println();
    out.println(BenchRow.HEADER);
    for (BenchRow row : rows) {
      out.println(row.toTableLine());
    }
    out.println(BenchRow.LEGEND);
    long met = rows.stream()
        .filter(r -> r.fractionOfFloor() >= TARGET_FRACTION_OF_FLOOR).count();
    out.printf(Locale.ROOT, "%d of %d configurations reach %.0f%% of the floor ratio%n", met,
        rows.size(), 100 * TARGET_FRACTION_OF_FLOOR);
    write(rows, environment);
    return rows;
  }

  private void write(List<BenchRow> rows, Map<String, Object> environment) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("benchmark", HiDlrBenchmark.class.getName());
    config.put("model", MlpWorkload.NAME);
    config.put("data", "synthetic: x ~ N(0, 1)^784, label = argmax of a fixed random linear"
        + " teacher 784->10; " + options.batches() + " mini-batches of " + options.batch()
        + ", the probe batch is the training mini-batch");
    config.put("base_optimizer", Optimizers.adam().setLearningRate(SideBySide.RATE).build()
        + ", given the model's block (whole steps, one non-finite check per parameter)");
    config.put("tuner", new LinkedHashMap<>(TunerConfig.hiDlr()
        .setInitialRate(SideBySide.RATE).build().toMap()));
    config.put("tuner_note", "probeEvery is each row's phi");
    Map<String, Object> groupings = new LinkedHashMap<>();
    for (int k : options.groupCounts()) {
      groupings.put("K=" + k, MlpWorkload.describeGroups(k));
    }
    config.put("groupings", groupings);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("steps_per_block", options.steps());
    settings.put("rounds", options.rounds());
    settings.put("warmup", options.warmup());
    settings.put("K", options.groupCounts());
    settings.put("phi", options.probePeriods());
    settings.put("batch", options.batch());
    settings.put("threads", options.threads());
    settings.put("clock", options.clock().label());
    settings.put("seed", options.seed());
    config.put("settings", settings);
    config.put("environment", environment);
    List<Object> json = new ArrayList<>();
    for (BenchRow row : rows) {
      json.add(row.toJson());
    }
    try {
      Files.createDirectories(options.out());
      Path bench = options.out().resolve("bench.json");
      Files.writeString(bench, Json.write(json, "") + "\n", StandardCharsets.UTF_8);
      Files.writeString(options.out().resolve("config.json"), Json.write(config, "") + "\n",
          StandardCharsets.UTF_8);
      out.println("wrote " + bench + " and " + options.out().resolve("config.json"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results into " + options.out(), e);
    }
  }

  /**
   * The 1-minute load average from {@code /proc/loadavg}, or {@code "unknown"}: other jobs on the
   * machine distort timings, and with more than one intra-op thread libtorch's OpenMP workers
   * spin at barriers and slow down many times over when a core is taken away.
   */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private void warnIfBusy(String load) {
    try {
      double value = Double.parseDouble(load);
      int cores = Runtime.getRuntime().availableProcessors();
      if (value > cores - 0.5) {
        out.printf(Locale.ROOT, "warning: load average %.2f on %d cores: other jobs are running,"
            + " timings are distorted%s%n", value, cores, JniUtils.getNumThreads() > 1
            ? " (with more than one torch thread badly so; consider --threads 1)" : "");
      }
    } catch (NumberFormatException e) {
      // no load average on this system: nothing to warn about
    }
  }

  private static Map<String, Object> environment(Engine engine) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    map.put("cores", Runtime.getRuntime().availableProcessors());
    map.put("djl", Engine.getDjlVersion());
    map.put("engine", engine.getEngineName() + " " + engine.getVersion());
    map.put("device", engine.defaultDevice().toString());
    map.put("torch_threads", JniUtils.getNumThreads());
    return map;
  }
}
