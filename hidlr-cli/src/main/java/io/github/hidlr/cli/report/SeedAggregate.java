package io.github.hidlr.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The mean over seeds of an experiment's results, with the standard deviation of each metric
 * reported in the notes as {@code mean ± std}.
 */
public final class SeedAggregate {

  private SeedAggregate() {}

  /**
   * Aggregates per-seed summaries of one experiment.
   *
   * @param perSeed the summaries, same tasks and methods in each
   * @param plotPrefix folder prefix for the first seed's plots, e.g. {@code "seed-42/"}
   * @return the mean summary
   */
  public static ExperimentSummary of(List<ExperimentSummary> perSeed, String plotPrefix) {
    ExperimentSummary first = perSeed.get(0);
    Map<String, List<ResultRow>> byKey = new LinkedHashMap<>();
    for (ExperimentSummary summary : perSeed) {
      for (ResultRow row : summary.results()) {
        byKey.computeIfAbsent(row.task() + "\u0000" + row.method(), k -> new ArrayList<>())
            .add(row);
      }
    }
    List<ResultRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    notes.add("Mean over " + perSeed.size() + " seeds; each seed's files are in seed-<s>/.");
    for (List<ResultRow> group : byKey.values()) {
      ResultRow r0 = group.get(0);
      Stat train = stat(group, ResultRow::finalTrainLoss);
      Stat test = stat(group, ResultRow::finalTestLoss);
      Stat accuracy = stat(group, ResultRow::testAccuracy);
      Stat iterations = stat(group, r -> r.iterationsToTol() == null ? null
          : r.iterationsToTol().doubleValue());
      Stat wall = stat(group, ResultRow::wallSeconds);
      rows.add(new ResultRow(r0.task(), r0.method(), train.mean, test.mean, accuracy.mean,
          iterations.mean == null ? null : (int) Math.round(iterations.mean), r0.steps(),
          wall.mean, group.stream().anyMatch(ResultRow::isDiverged)));
      notes.add(String.format(Locale.ROOT, "%s / %s: train loss %s, test loss %s, test accuracy"
          + " %s", r0.task(), r0.method(), train, test, accuracy));
    }
    List<String> plots = new ArrayList<>();
    for (String plot : first.plots()) {
      plots.add(plotPrefix + plot);
    }
    return new ExperimentSummary(first.experiment(), first.profile(), rows, notes, plots);
  }

  private record Stat(Double mean, Double std) {
    @Override
    public String toString() {
      return mean == null ? "–" : String.format(Locale.ROOT, "%.4g ± %.2g", mean, std);
    }
  }

  private static Stat stat(List<ResultRow> rows, Function<ResultRow, Double> metric) {
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (ResultRow row : rows) {
      Double v = metric.apply(row);
      if (v != null && Double.isFinite(v)) {
        sum += v;
        sq += v * v;
        n++;
      }
    }
    if (n == 0) {
      return new Stat(null, null);
    }
    double mean = sum / n;
    double std = n > 1 ? Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1))) : 0;
    return new Stat(mean, std);
  }
}
