package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.Plots;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.core.example.Functions2dStudy;
import io.github.hidlr.core.problem.Trajectory;
import io.github.hidlr.core.tuner.TunerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * Figure 2 of the Hi-DLR paper: gradient descent on the ellipse {@code x² + 10y²} and on Beale
 * + Rosenbrock with Hi-DLR (one rate per coordinate), Hi-ULR (GeN) and the best of a 25-point
 * grid of uniform rates; iterations to {@code f* + 1e-6}, trajectories over contours, loss per
 * iteration. Deterministic: the profile does not change it.
 */
public final class Functions2dExperiment implements Experiment {

  @Override
  public String name() {
    return "functions-2d";
  }

  @Override
  public String description() {
    return "Figure 2: ellipse and Beale + Rosenbrock, Hi-DLR vs Hi-ULR vs the best grid rate";
  }

  @Override
  public ExperimentSummary run(ExperimentContext context) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", context.profile().label());
    config.put("seed", context.seed());
    config.put("initial_rate", Functions2dStudy.INITIAL_RATE);
    config.put("tolerance", Functions2dStudy.TOLERANCE);
    config.put("grid", Map.of("min", 1e-5, "max", 1, "points", Functions2dStudy.GRID_POINTS));
    config.put("hi_dlr", Functions2dStudy.unsmoothed(TunerConfig.hiDlr()).toMap());
    config.put("hi_ulr", Functions2dStudy.unsmoothed(TunerConfig.gen()).toMap());
    context.output().json("config.json", config);

    List<ResultRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Functions2dStudy.Setting> settings =
        List.of(Functions2dStudy.ellipse(), Functions2dStudy.bealeRosenbrock());
    try (ProgressBar bar = context.progress(name(), settings.size())) {
      for (Functions2dStudy.Setting setting : settings) {
        long begin = System.nanoTime();
        List<Functions2dStudy.Result> results = Functions2dStudy.run(setting);
        double seconds = (System.nanoTime() - begin) / 1e9;
        for (Functions2dStudy.Result r : results) {
          int iterations = r.iterationsToTolerance();
          rows.add(new ResultRow(setting.name(), r.method(), r.trajectory().finalLoss(), null,
              null, iterations < 0 ? null : iterations, (long) setting.iterations(),
              seconds / results.size(), !Double.isFinite(r.trajectory().finalLoss())));
        }
        writeTraces(context, setting, results);
        notes.add(String.format(Locale.ROOT, "%s: iterations to f* + %.0e — hi-dlr %s,"
            + " hi-dlr-paper %s, hi-ulr %s, best grid rate (%.3g) %s.", setting.name(),
            Functions2dStudy.TOLERANCE, show(results.get(0)), show(results.get(3)),
            show(results.get(1)), results.get(2).uniformRate(), show(results.get(2))));
        bar.step();
      }
    }
    ExperimentSummary summary = new ExperimentSummary(name(), context.profile().label(), rows,
        notes, context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  private static String show(Functions2dStudy.Result r) {
    int n = r.iterationsToTolerance();
    return n < 0 ? "not within " + r.setting().iterations() : Integer.toString(n);
  }

  private static void writeTraces(
      ExperimentContext context, Functions2dStudy.Setting setting, List<Functions2dStudy.Result> results) {
    List<List<Object>> rows = new ArrayList<>();
    List<Plots.Line> losses = new ArrayList<>();
    List<Plots.Line> paths = new ArrayList<>();
    double optimum = setting.optimum();
    for (Functions2dStudy.Result r : results) {
      Trajectory t = r.trajectory();
      double[] loss = t.losses();
      double[] iterations = new double[loss.length];
      double[] gap = new double[loss.length];
      double[] xs = new double[loss.length];
      double[] ys = new double[loss.length];
      for (int i = 0; i < loss.length; i++) {
        double[] p = t.points().get(i);
        double[] rate = i < t.rates().size() ? t.rates().get(i) : new double[] {Double.NaN};
        iterations[i] = i;
        gap[i] = loss[i] - optimum;
        xs[i] = p[0];
        ys[i] = p[1];
        rows.add(List.of(r.method(), i, loss[i], p[0], p[1], rate[0],
            rate.length > 1 ? rate[1] : rate[0]));
      }
      losses.add(new Plots.Line(r.method(), iterations, gap));
      paths.add(new Plots.Line(r.method(), xs, ys));
    }
    String stem = setting.name().replace('+', '-');
    context.output().csv(stem + "-trace.csv",
        List.of("method", "iteration", "loss", "x", "y", "rate_x", "rate_y"), rows);
    Plots.lines(context.output(), stem + "-loss.png", setting.name() + ": f − f* per iteration",
        "iteration", "f − f*", true, losses);
    double[] bounds = setting.name().equals("ellipse") ? new double[] {-3.5, 3.5, -3.5, 3.5}
        : new double[] {-2.5, 1.5, -0.5, 2.5};
    double[] levels = setting.name().equals("ellipse") ? new double[] {1, 5, 10, 20, 40, 80}
        : new double[] {6.5, 7, 8, 10, 15, 25, 50, 100, 200};
    Plots.contours(context.output(), stem + "-trajectories.png",
        setting.name() + ": trajectories", (x, y) -> setting.function().value(new double[] {x, y}),
        bounds, levels, paths);
  }
}
