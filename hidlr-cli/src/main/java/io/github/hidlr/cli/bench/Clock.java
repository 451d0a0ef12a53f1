package io.github.hidlr.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** What the benchmark's timings count. */
public enum Clock {
  /** Elapsed wall time ({@link System#nanoTime()}). */
  WALL,
  /**
   * CPU time of the training thread. With one intra-op torch thread every tensor operation runs
   * on the calling thread, so this is the work a step costs, without the time the thread waited
   * for a core that other jobs held: the clock to use on a shared machine. It is refused with
   * more than one torch thread, whose workers' time it would miss.
   */
  THREAD_CPU;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * The current reading in nanoseconds (only differences are meaningful).
   *
   * @return nanoseconds
   */
  long now() {
    return this == WALL ? System.nanoTime() : THREADS.getCurrentThreadCpuTime();
  }

  /**
   * Parses {@code wall} or {@code cpu}.
   *
   * @param text the option's value
   * @return the clock
   */
  static Clock parse(String text) {
    return switch (text) {
      case "wall" -> WALL;
      case "cpu" -> THREAD_CPU;
      default -> throw new IllegalArgumentException("--clock \"" + text + "\": use wall or cpu");
    };
  }

  /**
   * The name used on the command line and in {@code config.json}.
   *
   * @return {@code wall} or {@code cpu}
   */
  String label() {
    return this == WALL ? "wall" : "cpu";
  }
}
