package io.github.hidlr.djl;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warns once per process when PyTorch would run more than one intra-op thread on a machine
 * with two cores or fewer. There, libtorch's OpenMP workers spin at barriers, and whenever
 * another process takes a core every operation waits for the descheduled worker: steps that
 * take ~7 ms with one thread were measured at ~490 ms with two (docs/PERFORMANCE.md).
 */
final class ThreadCheck {

  /** DJL's system property for PyTorch's intra-op threads. */
  static final String PROPERTY = "ai.djl.pytorch.num_threads";

  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ThreadCheck() {}

  /** Logs the warning, once, if {@link #oversubscribed} says so for this process. */
  static void warnOnce() {
    String message = oversubscribed(System.getProperty(PROPERTY),
        Runtime.getRuntime().availableProcessors());
    if (message != null && WARNED.compareAndSet(false, true)) {
      System.getLogger("io.github.hidlr.djl").log(System.Logger.Level.WARNING, message);
    }
  }

  /**
   * The warning for a thread setting on a machine, or null when there is nothing to say.
   * Unset, PyTorch uses one thread per core.
   *
   * @param threads the value of {@value #PROPERTY}, or null when unset
   * @param cores the cores the JVM sees
   * @return the warning, or null
   */
  static String oversubscribed(String threads, int cores) {
    if (cores > 2) {
      return null;
    }
    int n;
    try {
      n = threads == null ? cores : Integer.parseInt(threads.trim());
    } catch (NumberFormatException e) {
      return null;
    }
    if (n <= 1) {
      return null;
    }
    return "PyTorch will run " + n + " intra-op threads on " + cores + " cores: on so few cores"
        + " its threads wait for each other whenever another process runs, and steps can be"
        + " tens of times slower. Start the JVM with -D" + PROPERTY + "=1 (and"
        + " -Dai.djl.pytorch.num_interop_threads=1), before DJL's engine loads.";
  }
}
