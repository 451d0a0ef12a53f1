package io.github.hidlr.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The benchmark's settings, parsed from plain {@code --name value} arguments.
 *
 * @param out folder that receives {@code bench.json} and {@code config.json}
 * @param steps timed steps per block (one block = one optimizer's turn in a round); rounded up
 *     per configuration to a multiple of {@code Φ} so that every block holds the same number of
 *     probing steps
 * @param rounds interleaved rounds per configuration; every statistic is a median over them
 * @param warmup untimed steps of each trainer before the first round of a configuration
 * @param groupCounts the values of {@code K} to run (each one of 1, 2, 4, 8)
 * @param probePeriods the values of {@code Φ} to run
 * @param batch mini-batch size (the probe batch is the same mini-batch)
 * @param batches distinct synthetic mini-batches the steps cycle through
 * @param threads PyTorch intra-op threads, or 0 to keep the engine's default
 * @param clock what the timings count
 * @param seed seed of the synthetic data and of the weight initialisation
 */
public record BenchOptions(
    Path out,
    int steps,
    int rounds,
    int warmup,
    List<Integer> groupCounts,
    List<Integer> probePeriods,
    int batch,
    int batches,
    int threads,
    Clock clock,
    long seed) {

  /** Default timed steps per block. */
  public static final int DEFAULT_STEPS = 8;
  /** Default rounds per configuration. */
  public static final int DEFAULT_ROUNDS = 40;
  /** Default untimed warm-up steps per trainer and configuration. */
  public static final int DEFAULT_WARMUP = 8;
  /** Default mini-batch size. */
  public static final int DEFAULT_BATCH = 128;
  /** Default number of distinct synthetic mini-batches. */
  public static final int DEFAULT_BATCHES = 16;
  /** Default seed. */
  public static final long DEFAULT_SEED = 42;
  /** The group counts this benchmark knows a grouping for, and the default {@code K}s. */
  public static final List<Integer> KNOWN_GROUP_COUNTS = List.of(1, 2, 4, 8);
  /** Default probe periods {@code Φ}. */
  public static final List<Integer> DEFAULT_PROBE_PERIODS = List.of(1, 4, 8);
  /** Timed steps per block of {@code --quick}. */
  public static final int QUICK_STEPS = 8;
  /** Rounds of {@code --quick}. */
  public static final int QUICK_ROUNDS = 5;
  /** Warm-up steps of {@code --quick}. */
  public static final int QUICK_WARMUP = 4;
  /** Default output folder (under the project's ignored {@code results/}). */
  public static final Path DEFAULT_OUT = Path.of("results", "bench");

  /** The usage text. */
  public static final String USAGE = String.join("\n",
      "usage: hidlr bench [--out DIR] [--steps N] [--rounds N] [--warmup N] [--quick]",
      "                      [--k 1,2,4,8] [--phi 1,4,8] [--batch N] [--threads N]",
      "                      [--clock wall|cpu] [--seed N]",
      "  --out DIR     output folder for bench.json and config.json (default " + DEFAULT_OUT
          + ")",
      "  --steps N     timed steps per block, rounded up to a multiple of phi (default "
          + DEFAULT_STEPS + ")",
      "  --rounds N    interleaved rounds per configuration, medians over them (default "
          + DEFAULT_ROUNDS + ")",
      "  --warmup N    untimed steps per trainer before a configuration's rounds (default "
          + DEFAULT_WARMUP + ")",
      "  --quick       a smoke run: " + QUICK_STEPS + " steps, " + QUICK_ROUNDS + " rounds, "
          + QUICK_WARMUP + " warm-up steps",
      "  --k LIST      group counts K, from 1,2,4,8 (default 1,2,4,8)",
      "  --phi LIST    probe periods (default 1,4,8)",
      "  --batch N     mini-batch size (default " + DEFAULT_BATCH + ")",
      "  --threads N   PyTorch intra-op threads, 0 = engine default (default 0)",
      "  --clock C     wall (elapsed time, default) or cpu (CPU time of the training thread;",
      "                needs --threads 1; robust to other jobs on a shared machine)",
      "  --seed N      seed of data and initialisation (default " + DEFAULT_SEED + ")");

  /** Validates every setting. */
  public BenchOptions {
    positive("--steps", steps);
    positive("--rounds", rounds);
    if (warmup < 1) {
      throw new IllegalArgumentException("--warmup " + warmup + " must be at least 1: the first"
          + " step creates the optimizer state and must not be timed");
    }
    positive("--batch", batch);
    positive("--batches", batches);
    if (threads < 0) {
      throw new IllegalArgumentException("--threads " + threads + " must be ≥ 0 (0 = default)");
    }
    Objects.requireNonNull(clock, "clock");
    if (clock == Clock.THREAD_CPU && threads != 1) {
      throw new IllegalArgumentException("--clock cpu counts the training thread only: it needs"
          + " --threads 1 (got " + (threads == 0 ? "the engine default" : threads) + ")");
    }
    groupCounts = List.copyOf(groupCounts);
    probePeriods = List.copyOf(probePeriods);
    if (groupCounts.isEmpty() || probePeriods.isEmpty()) {
      throw new IllegalArgumentException("--k and --phi need at least one value each");
    }
    for (int k : groupCounts) {
      if (!KNOWN_GROUP_COUNTS.contains(k)) {
        throw new IllegalArgumentException("--k " + k + " has no grouping; choose from "
            + KNOWN_GROUP_COUNTS);
      }
    }
    for (int phi : probePeriods) {
      positive("--phi", phi);
    }
  }

  /**
   * The defaults: every {@code K} of {@link #KNOWN_GROUP_COUNTS}, {@code Φ = 1, 4, 8}.
   *
   * @return the default options, writing to {@link #DEFAULT_OUT}
   */
  public static BenchOptions defaults() {
    return new BenchOptions(DEFAULT_OUT, DEFAULT_STEPS, DEFAULT_ROUNDS, DEFAULT_WARMUP,
        KNOWN_GROUP_COUNTS, DEFAULT_PROBE_PERIODS, DEFAULT_BATCH, DEFAULT_BATCHES, 0, Clock.WALL,
        DEFAULT_SEED);
  }

  /**
   * Parses {@code --name value} arguments over the defaults. {@code --quick} sets steps,
   * rounds and warm-up to a smoke-test size; later explicit values override it.
   *
   * @param args the command-line arguments
   * @return the options
   * @throws IllegalArgumentException for an unknown option, a missing or unparsable value
   */
  public static BenchOptions parse(String... args) {
    BenchOptions defaults = defaults();
    Path out = defaults.out();
    int steps = defaults.steps();
    int rounds = defaults.rounds();
    int warmup = defaults.warmup();
    List<Integer> ks = defaults.groupCounts();
    List<Integer> phis = defaults.probePeriods();
    int batch = defaults.batch();
    int threads = defaults.threads();
    Clock clock = defaults.clock();
    long seed = defaults.seed();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--quick")) {
        steps = QUICK_STEPS;
        rounds = QUICK_ROUNDS;
        warmup = QUICK_WARMUP;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (name) {
        case "--out" -> out = Path.of(value);
        case "--steps" -> steps = integer(name, value);
        case "--rounds" -> rounds = integer(name, value);
        case "--warmup" -> warmup = integer(name, value);
        case "--k" -> ks = integers(name, value);
        case "--phi" -> phis = integers(name, value);
        case "--batch" -> batch = integer(name, value);
        case "--threads" -> threads = integer(name, value);
        case "--clock" -> clock = Clock.parse(value);
        case "--seed" -> seed = longValue(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    return new BenchOptions(out, steps, rounds, warmup, ks, phis, batch, defaults.batches(),
        threads, clock, seed);
  }

  /**
   * The timed steps per block for a probe period: {@link #steps()} rounded up to a multiple of
   * {@code Φ}.
   *
   * @param phi the probe period
   * @return the block length
   */
  public int stepsFor(int phi) {
    return (steps + phi - 1) / phi * phi;
  }

  /**
   * The settings on one line, for the console.
   *
   * @return a description of every setting
   */
  String describe() {
    return String.format(Locale.ROOT, "steps=%d rounds=%d warmup=%d K=%s phi=%s batch=%d"
        + " threads=%s clock=%s seed=%d", steps, rounds, warmup, groupCounts, probePeriods, batch,
        threads == 0 ? "default" : Integer.toString(threads), clock.label(), seed);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " " + value + " must be at least 1");
    }
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " \"" + value + "\" is not an integer", e);
    }
  }

  private static long longValue(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " \"" + value + "\" is not an integer", e);
    }
  }

  private static List<Integer> integers(String name, String value) {
    List<Integer> list = new ArrayList<>();
    for (String part : value.split(",")) {
      list.add(integer(name, part));
    }
    return list;
  }
}
