package io.github.hidlr.cli;

import io.github.hidlr.cli.training.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs {@code hidlr} commands in child JVMs, {@code jobs} at a time: each child is one
 * experiment ({@code hidlr run NAME}, for {@code hidlr reproduce --jobs}) or one experiment and
 * seed of a study ({@code hidlr study --part}, for {@code hidlr study --jobs}), with the class
 * path and {@code -D}/{@code -Xm} options of this JVM. A separate process per run, not a
 * thread: PyTorch's random generator is global to a process, so runs sharing one would draw
 * each other's numbers, and every result would depend on the timing. In a child, results are
 * bit for bit those of a run on its own.
 *
 * <p>Each child writes its output to {@code logs/LABEL.log} and its results atomically, as
 * {@code hidlr run} does; a failing child does not stop the others. Children still running
 * when this JVM is stopped are destroyed (their staging folders are cleared by the next run).
 */
final class ChildRuns {

  /**
   * One child: {@code hidlr ARGUMENTS}, its output in {@code logs/LABEL.log}.
   *
   * @param label names the run in messages and its log file
   * @param arguments the command line after {@code hidlr}
   */
  record Job(String label, List<String> arguments) {
    Job {
      arguments = List.copyOf(arguments);
    }
  }

  /** One child that did not finish. */
  record Failure(String label, String reason, Path log) {}

  private ChildRuns() {}

  /**
   * One experiment as {@code hidlr run} runs it, with the profile, seed, output folder and
   * policies of {@code options}, writing no report and drawing no progress bars.
   *
   * @param name the experiment's name, as {@code hidlr list} gives it
   * @param options profile, seed and output folder
   * @return the child
   */
  static Job experiment(String name, CommonOptions options) {
    return new Job(name, List.of("run", name, "--profile", options.profile().label(), "--seed",
        Long.toString(options.seed()), "--out", options.out().toAbsolutePath().toString(),
        "--policies", Policy.names(options.policies()),
        "--no-report", "--no-progress"));
  }

  /**
   * Runs every child, {@code jobs} at a time, in the given order (a worker takes the next one
   * when its child finishes).
   *
   * @param children the children
   * @param logs the folder of the logs, created if needed
   * @param jobs children at a time, at least 1
   * @param out where each start and end is announced
   * @return the children that failed, in the order they failed; empty if all succeeded
   * @throws IOException if the log folder cannot be created
   * @throws InterruptedException if interrupted while waiting (the children are destroyed)
   */
  static List<Failure> run(List<Job> children, Path logs, int jobs, PrintWriter out)
      throws IOException, InterruptedException {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    }
    Files.createDirectories(logs);
    ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>(children);
    List<Failure> failures = new CopyOnWriteArrayList<>();
    List<Process> running = Collections.synchronizedList(new ArrayList<>());
    Runnable destroyAll = () -> {
      synchronized (running) {
        running.forEach(Process::destroy);
      }
    };
    Thread destroyer = new Thread(destroyAll);
    Runtime.getRuntime().addShutdownHook(destroyer);
    List<Thread> workers = new ArrayList<>();
    try {
      for (int w = 0; w < Math.min(jobs, children.size()); w++) {
        Thread worker = new Thread(() -> {
          for (Job job = queue.poll(); job != null; job = queue.poll()) {
            runOne(job, logs.resolve(job.label() + ".log"), running, out)
                .ifPresent(failures::add);
          }
        }, "hidlr-child-runs-" + w);
        workers.add(worker);
        worker.start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
    } finally {
      queue.clear();
      destroyAll.run();
      try {
        Runtime.getRuntime().removeShutdownHook(destroyer);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
    return List.copyOf(failures);
  }

  /** Runs one child to its end; the failure, if it failed. */
  private static Optional<Failure> runOne(Job job, Path log, List<Process> running,
      PrintWriter out) {
    String name = job.label();
    long begin = System.nanoTime();
    say(out, name + ": started (output in " + log + ")");
    Process process;
    try {
      process = new ProcessBuilder(command(job)).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      say(out, name + ": FAILED to start: " + e.getMessage());
      return Optional.of(new Failure(name, "could not start: " + e.getMessage(), log));
    }
    running.add(process);
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      return Optional.of(new Failure(name, "interrupted", log));
    } finally {
      running.remove(process);
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (code == 0) {
      say(out, String.format(Locale.ROOT, "%s: done in %.1f s", name, seconds));
      return Optional.empty();
    }
    String reason = "exit code " + code + lastLine(log);
    say(out, String.format(Locale.ROOT, "%s: FAILED after %.1f s (%s)", name, seconds, reason));
    return Optional.of(new Failure(name, reason, log));
  }

  /** {@code java [-D…, -Xm…] -cp CLASSPATH Main ARGUMENTS}. */
  static List<String> command(Job job) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-D") || argument.startsWith("-Xmx")
          || argument.startsWith("-Xms")) {
        command.add(argument);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(job.arguments());
    return command;
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return ": " + lines.get(i).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // the reason stays the exit code
    }
    return "";
  }

  private static void say(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
