package io.github.hidlr.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Assembles {@code report.md} from experiment summaries: per experiment a results table, the
 * plots, the notes, and a plain verdict per task saying where Hi-DLR wins and where it loses
 * on the task's main metric (test accuracy, else test loss, else iterations to tolerance,
 * else final training loss).
 */
public final class ReportWriter {

  private ReportWriter() {}

  /**
   * Writes {@code report.md} into {@code out}.
   *
   * @param out the results folder holding one sub-folder per experiment
   * @param summaries the experiments' summaries, in order
   * @param descriptions one line per experiment name
   * @return the report's path
   */
  public static Path write(Path out, List<ExperimentSummary> summaries,
      Map<String, String> descriptions) {
    StringBuilder md = new StringBuilder("# hidlr: the paper's experiments, reproduced\n\n");
    if (!summaries.isEmpty()) {
      md.append("Profile: `").append(summaries.get(0).profile()).append("`. Each experiment's"
          + " folder holds its `config.json`, `summary.json`, CSV traces and plots.\n\n");
    }
    for (ExperimentSummary summary : summaries) {
      md.append("## ").append(summary.experiment()).append("\n\n");
      md.append(descriptions.getOrDefault(summary.experiment(), "")).append("\n\n");
      md.append(table(summary.results())).append('\n');
      for (String verdict : verdicts(summary.results())) {
        md.append("- ").append(verdict).append('\n');
      }
      for (String note : summary.notes()) {
        md.append("- ").append(note).append('\n');
      }
      md.append('\n');
      for (String plot : summary.plots()) {
        md.append("![").append(plot).append("](").append(summary.experiment()).append('/')
            .append(plot).append(")\n");
      }
      md.append('\n');
    }
    Path file = out.resolve("report.md");
    try {
      Files.createDirectories(out);
      Files.writeString(file, md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /**
   * A markdown table of results.
   *
   * @param rows the results
   * @return the table
   */
  static String table(List<ResultRow> rows) {
    StringBuilder md = new StringBuilder(
        "| task | method | train loss | test loss | test acc. | iters to tol | steps | wall s |\n"
            + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ResultRow r : rows) {
      md.append("| ").append(r.task()).append(" | ").append(r.method()).append(" | ")
          .append(num(r.finalTrainLoss())).append(" | ").append(num(r.finalTestLoss()))
          .append(" | ").append(r.testAccuracy() == null ? "–"
              : String.format(Locale.ROOT, "%.4f", r.testAccuracy()))
          .append(" | ").append(r.iterationsToTol() == null ? "–" : r.iterationsToTol())
          .append(" | ").append(r.steps() == null ? "–" : r.steps())
          .append(" | ").append(r.wallSeconds() == null ? "–"
              : String.format(Locale.ROOT, "%.1f", r.wallSeconds()))
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * Where Hi-DLR wins and loses, per task.
   *
   * @param rows the results
   * @return one sentence per task that has a {@code hi-dlr} row
   */
  static List<String> verdicts(List<ResultRow> rows) {
    Map<String, List<ResultRow>> byTask = new LinkedHashMap<>();
    for (ResultRow row : rows) {
      byTask.computeIfAbsent(row.task(), t -> new ArrayList<>()).add(row);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<ResultRow>> task : byTask.entrySet()) {
      Optional<Metric> metric = Metric.pick(task.getValue());
      Optional<ResultRow> hiDlr = task.getValue().stream()
          .filter(r -> r.method().equals("hi-dlr")).findFirst();
      if (metric.isEmpty() || hiDlr.isEmpty() || task.getValue().size() < 2) {
        continue;
      }
      Metric m = metric.get();
      List<ResultRow> ranked = task.getValue().stream()
          .filter(r -> m.value.apply(r) != null)
          .sorted(Comparator.comparingDouble(r -> m.sign * m.of(r))).toList();
      int rank = ranked.indexOf(hiDlr.get()) + 1;
      ResultRow best = ranked.get(0);
      String verdict = rank == 1
          ? "**" + task.getKey() + "**: Hi-DLR wins on " + m.name + " ("
              + num(m.value.apply(hiDlr.get())) + "; next best " + ranked.get(1).method() + " "
              + num(m.value.apply(ranked.get(1))) + ")."
          : "**" + task.getKey() + "**: Hi-DLR loses on " + m.name + ": rank " + rank + " of "
              + ranked.size() + " (" + num(m.value.apply(hiDlr.get())) + " vs best "
              + best.method() + " " + num(m.value.apply(best)) + ").";
      out.add(verdict);
    }
    return out;
  }

  private static String num(Number value) {
    if (value == null) {
      return "–";
    }
    double v = value.doubleValue();
    return value instanceof Integer || value instanceof Long ? value.toString()
        : String.format(Locale.ROOT, Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? "%.4f" : "%.3e", v);
  }

  /** The metric a task is judged on, with its direction. */
  private record Metric(String name, Function<ResultRow, Number> value, int sign) {
    static Optional<Metric> pick(List<ResultRow> rows) {
      List<Metric> order = List.of(
          new Metric("test accuracy", ResultRow::testAccuracy, -1),
          new Metric("test loss", ResultRow::finalTestLoss, 1),
          new Metric("iterations to tolerance", ResultRow::iterationsToTol, 1),
          new Metric("final training loss", ResultRow::finalTrainLoss, 1));
      for (Metric m : order) {
        if (rows.stream().filter(r -> m.value.apply(r) != null).count() >= 2) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }

    double of(ResultRow r) {
      return value.apply(r).doubleValue();
    }
  }
}
