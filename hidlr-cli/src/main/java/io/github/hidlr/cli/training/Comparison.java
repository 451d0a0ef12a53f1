package io.github.hidlr.cli.training;

import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.report.Plots;
import io.github.hidlr.cli.report.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/**
 * Runs several methods on one task with the same seed, data and budget, and writes what a
 * user looks at: a per-step trace CSV, test metrics at 10%, 30% and 100% of the budget, loss
 * curves and, for tuned methods, the per-group rates.
 */
public final class Comparison {

  private final ExperimentContext context;
  private final MethodTrainer trainer;

  /**
   * A comparison.
   *
   * @param context the experiment's context
   * @param trainer the trainer (seed, steps, batch size)
   */
  public Comparison(ExperimentContext context, MethodTrainer trainer) {
    this.context = context;
    this.trainer = trainer;
  }

  /**
   * Trains one method with a progress bar.
   *
   * @param task the task
   * @param method the method
   * @param steps the budget, for the bar
   * @return the result
   */
  public MethodResult train(Task task, Method method, int steps) {
    return train(task, method, steps, null);
  }

  /**
   * Trains one method with a progress bar and inspects the trained model.
   *
   * @param task the task
   * @param method the method
   * @param steps the budget, for the bar
   * @param inspect sees the trained block and a manager before the model closes, or null
   * @return the result
   */
  public MethodResult train(Task task, Method method, int steps,
      java.util.function.BiConsumer<ai.djl.nn.Block, ai.djl.ndarray.NDManager> inspect) {
    try (ProgressBar bar = context.progress(task.name() + " " + method.name(), steps)) {
      return trainer.train(task, method, t -> bar.step(), inspect);
    }
  }

  /** Most points a grid is widened by on each side when its best point lies on the edge. */
  static final int MAX_WIDENING = 3;

  /**
   * The best of a grid of rates, chosen with hindsight by the task's final metric (test
   * accuracy for classification, test loss for regression): the strongest grid-tuned
   * baseline. When the best rate is the grid's largest or smallest (and did not diverge), the
   * grid is widened on that side by its own ratio, up to {@value #MAX_WIDENING} points, so
   * the winner lies inside the grid. Its wall time is the whole grid's, since that is what it
   * cost.
   *
   * @param task the task
   * @param name the name to report, e.g. {@code "ulr-best"}
   * @param candidate the method at a given rate
   * @param rates the grid, at least one rate, increasing
   * @param steps the budget, for the bars
   * @return the best result, renamed {@code name (its method)}, with the grid's total wall time
   * @throws IllegalArgumentException for an empty or unsorted grid
   */
  public MethodResult bestOf(Task task, String name, java.util.function.DoubleFunction<Method>
      candidate, double[] rates, int steps) {
    return bestOf(task, name, candidate, rates, steps, method -> null);
  }

  /**
   * {@link #bestOf(Task, String, java.util.function.DoubleFunction, double[], int)}, letting
   * the caller look at each candidate's trained model (to keep the winner's).
   *
   * @param task the task
   * @param name the name to report
   * @param candidate the method at a given rate
   * @param rates the grid, increasing
   * @param steps the budget
   * @param inspect per candidate's method name, what sees its trained block (or null)
   * @return the best result, renamed {@code name (its method)}
   */
  public MethodResult bestOf(Task task, String name, java.util.function.DoubleFunction<Method>
      candidate, double[] rates, int steps, java.util.function.Function<String,
      java.util.function.BiConsumer<ai.djl.nn.Block, ai.djl.ndarray.NDManager>> inspect) {
    if (rates.length == 0) {
      throw new IllegalArgumentException("the grid for " + name + " is empty: give ≥ 1 rate");
    }
    for (int i = 1; i < rates.length; i++) {
      if (!(rates[i] > rates[i - 1])) {
        throw new IllegalArgumentException("the grid for " + name + " must increase, got "
            + java.util.Arrays.toString(rates));
      }
    }
    java.util.TreeMap<Double, MethodResult> tried = new java.util.TreeMap<>();
    double total = 0;
    for (double rate : rates) {
      Method method = candidate.apply(rate);
      MethodResult result = train(task, method, steps, inspect.apply(method.name()));
      total += result.wallSeconds();
      tried.put(rate, result);
    }
    double ratio = rates.length > 1 ? rates[1] / rates[0] : 3;
    for (int extra = 0; extra < 2 * MAX_WIDENING && rates.length > 1; extra++) {
      double best = bestRate(task, tried);
      double next;
      if (best == tried.lastKey() && !tried.get(best).diverged()
          && tried.lastKey() / rates[rates.length - 1] < Math.pow(ratio, MAX_WIDENING) * 0.999) {
        next = best * ratio;
      } else if (best == tried.firstKey()
          && rates[0] / tried.firstKey() < Math.pow(ratio, MAX_WIDENING) * 0.999) {
        next = best / ratio;
      } else {
        break;
      }
      Method method = candidate.apply(next);
      MethodResult result = train(task, method, steps, inspect.apply(method.name()));
      total += result.wallSeconds();
      tried.put(next, result);
    }
    double best = bestRate(task, tried);
    if (Double.isNaN(best)) {
      throw new IllegalStateException("every rate of the grid for " + name + " on " + task.name()
          + " diverged: widen the grid toward smaller rates");
    }
    MethodResult winner = tried.get(best);
    return winner.renamed(name + " (" + winner.method() + ")", total);
  }

  /** The rate whose non-diverged result scores best, NaN if all diverged. */
  private static double bestRate(Task task, java.util.SortedMap<Double, MethodResult> tried) {
    double best = Double.NaN;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (java.util.Map.Entry<Double, MethodResult> e : tried.entrySet()) {
      MethodResult.Checkpoint last = e.getValue().last();
      double score = task.kind() == Task.Kind.REGRESSION ? -last.testLoss()
          : last.testAccuracy();
      if (!e.getValue().diverged() && Double.isFinite(score) && score > bestScore) {
        bestScore = score;
        best = e.getKey();
      }
    }
    return best;
  }

  /**
   * Writes traces and plots for a task and returns its summary rows.
   *
   * @param task the task
   * @param results the methods' results
   * @return one row per method
   */
  public List<ResultRow> write(Task task, List<MethodResult> results) {
    String stem = task.name();
    List<List<Object>> trace = new ArrayList<>();
    List<List<Object>> checkpoints = new ArrayList<>();
    List<Plots.Line> lossLines = new ArrayList<>();
    List<Plots.Line> rateLines = new ArrayList<>();
    List<ResultRow> rows = new ArrayList<>();
    for (MethodResult result : results) {
      String method = shortName(result.method());
      int n = result.trainLoss().length;
      double[] steps = new double[n];
      double[] smooth = new double[n];
      double ema = result.trainLoss()[0];
      for (int t = 0; t < n; t++) {
        steps[t] = t + 1;
        ema = 0.9 * ema + 0.1 * result.trainLoss()[t];
        smooth[t] = t < 10 ? result.trainLoss()[t] : ema;
        double[] r = result.rates().get(t);
        for (int k = 0; k < r.length; k++) {
          trace.add(List.of(method, t + 1, result.groupNames().get(k), result.trainLoss()[t], r[k]));
        }
      }
      lossLines.add(new Plots.Line(result.method(), steps, smooth));
      if (result.groupNames().size() > 1 || method.startsWith("hi-")) {
        for (int k = 0; k < result.groupNames().size(); k++) {
          double[] r = new double[n];
          for (int t = 0; t < n; t++) {
            r[t] = result.rates().get(t)[k];
          }
          rateLines.add(new Plots.Line(method + " " + result.groupNames().get(k), steps, r));
        }
      }
      for (MethodResult.Checkpoint c : result.checkpoints()) {
        checkpoints.add(List.of(method, c.step(), c.fraction(), c.trainLoss(), c.testLoss(),
            c.testAccuracy()));
      }
      MethodResult.Checkpoint last = result.last();
      rows.add(new ResultRow(task.name(), method, last.trainLoss(), last.testLoss(),
          Double.isNaN(last.testAccuracy()) ? null : last.testAccuracy(), null, result.steps(),
          result.wallSeconds(), result.diverged()));
    }
    context.output().csv(stem + "-trace.csv",
        List.of("method", "step", "group", "train_loss", "rate"), trace);
    context.output().csv(stem + "-checkpoints.csv",
        List.of("method", "step", "fraction", "train_loss", "test_loss", "test_accuracy"),
        checkpoints);
    Plots.lines(context.output(), stem + "-loss.png",
        task.name() + ": training loss (EMA 0.9)", "step", "loss", true, lossLines);
    if (!rateLines.isEmpty()) {
      Plots.lines(context.output(), stem + "-rates.png",
          task.name() + ": learning rate per group", "step", "η", true, rateLines);
    }
    return rows;
  }

  /**
   * A note with each method's test metric at 10%, 30% and 100% of the budget.
   *
   * @param task the task
   * @param results the results
   * @return the note
   */
  public static String budgetNote(Task task, List<MethodResult> results) {
    StringBuilder note = new StringBuilder(task.name()
        + ": test " + (task.kind() == Task.Kind.REGRESSION ? "loss" : "accuracy")
        + " at 10% / 30% / 100% of the budget —");
    for (MethodResult r : results) {
      note.append(' ').append(shortName(r.method())).append(' ');
      List<String> values = new ArrayList<>();
      for (MethodResult.Checkpoint c : r.checkpoints()) {
        values.add(task.kind() == Task.Kind.REGRESSION
            ? String.format(Locale.ROOT, "%.3g", c.testLoss())
            : String.format(Locale.ROOT, "%.3f", c.testAccuracy()));
      }
      note.append(String.join(" / ", values)).append(';');
    }
    note.setCharAt(note.length() - 1, '.');
    return note.toString();
  }

  /** {@code "ulr-best (ulr 0.01)"} → {@code "ulr-best"}. */
  static String shortName(String method) {
    int space = method.indexOf(" (");
    return space < 0 ? method : method.substring(0, space);
  }
}
