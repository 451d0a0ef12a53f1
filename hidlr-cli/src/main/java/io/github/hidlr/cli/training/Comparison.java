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

  /**
   * The best of a grid of methods by final test loss, chosen with hindsight (the strongest
   * grid-tuned baseline); its wall time is the whole grid's, since that is what it cost.
   *
   * @param task the task
   * @param name the name to report, e.g. {@code "ulr-best"}
   * @param grid the candidates
   * @param steps the budget, for the bars
   * @return the best result, renamed, with the grid's total wall time
   */
  public MethodResult bestOf(Task task, String name, List<Method> grid, int steps) {
    MethodResult best = null;
    double total = 0;
    for (Method method : grid) {
      MethodResult result = train(task, method, steps);
      total += result.wallSeconds();
      double loss = result.last().testLoss();
      if (Double.isFinite(loss) && (best == null || loss < best.last().testLoss())) {
        best = result;
      }
    }
    if (best == null) {
      throw new IllegalStateException("every rate of the grid for " + name + " on " + task.name()
          + " diverged: widen the grid toward smaller rates");
    }
    return new MethodResult(name + " (" + best.method() + ")", best.trainLoss(), best.rates(),
        best.groupNames(), best.checkpoints(), total, best.steps());
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
          result.wallSeconds()));
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
