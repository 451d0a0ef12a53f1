package io.github.hidlr.core.problem;

import io.github.hidlr.core.probe.LossPrecision;
import io.github.hidlr.core.probe.LossProbe;
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.core.tuner.ProbeReport;
import io.github.hidlr.core.tuner.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent on a plain problem, the base optimizer of the 2D experiments: direction
 * {@code d = ∇f(x)}, update {@code x ← x − Σ_k η_k d_(k)} with either a fixed uniform rate or
 * the rates of a {@link HiDlrTuner} probing {@code f(x − Σ ξ_k d_(k))} in double precision.
 */
public final class GradientDescent {

  private GradientDescent() {}

  /**
   * Fixed uniform rate {@code η}. Stops early, padding with the last value, if the iterate
   * stops being finite.
   *
   * @param f the function
   * @param start {@code x_0}
   * @param rate {@code η > 0}
   * @param iterations {@code T}
   * @return the trajectory
   */
  public static Trajectory fixedRate(
      DifferentiableFunction f, double[] start, double rate, int iterations) {
    List<double[]> points = new ArrayList<>();
    List<double[]> rates = new ArrayList<>();
    double[] losses = new double[iterations + 1];
    double[] x = start.clone();
    points.add(x.clone());
    losses[0] = f.value(x);
    for (int t = 0; t < iterations; t++) {
      double[] g = f.gradient(x);
      for (int i = 0; i < x.length; i++) {
        x[i] -= rate * g[i];
      }
      points.add(x.clone());
      rates.add(new double[] {rate});
      losses[t + 1] = f.value(x);
      if (!Double.isFinite(losses[t + 1])) {
        java.util.Arrays.fill(losses, t + 1, losses.length, losses[t + 1]);
        break;
      }
    }
    return new Trajectory("ulr " + rate, points, losses, rates, List.of());
  }

  /**
   * The tuner's rates over the problem's groups.
   *
   * @param problem the grouped function
   * @param start {@code x_0}
   * @param tuner a tuner created over {@code problem.layout()}
   * @param iterations {@code T}
   * @param method label for the trajectory
   * @return the trajectory, with the probe reports
   */
  public static Trajectory tuned(
      GroupedProblem problem, double[] start, HiDlrTuner tuner, int iterations, String method) {
    if (!tuner.layout().equals(problem.layout())) {
      throw new IllegalArgumentException("tuner groups " + tuner.layout()
          + " differ from the problem's " + problem.layout());
    }
    DifferentiableFunction f = problem.function();
    List<double[]> points = new ArrayList<>();
    List<double[]> rates = new ArrayList<>();
    List<ProbeReport> reports = new ArrayList<>();
    double[] losses = new double[iterations + 1];
    double[] x = start.clone();
    points.add(x.clone());
    losses[0] = f.value(x);
    int[] groupOf = problem.groupOf();
    for (int t = 0; t < iterations; t++) {
      double[] d = f.gradient(x);
      double[] at = x;
      LossProbe probe = new LossProbe() {
        @Override
        public double loss(double[] displacement) {
          return f.value(problem.displace(at, d, displacement));
        }

        @Override
        public LossPrecision precision() {
          return LossPrecision.FLOAT64;
        }
      };
      StepResult step = tuner.step(probe);
      step.report().ifPresent(reports::add);
      double[] eta = step.rates();
      x = x.clone();
      for (int i = 0; i < x.length; i++) {
        x[i] -= eta[groupOf[i]] * d[i];
      }
      points.add(x.clone());
      rates.add(eta);
      losses[t + 1] = f.value(x);
    }
    return new Trajectory(method, points, losses, rates, reports);
  }

  /**
   * {@code n ≥ 2} rates spaced evenly in log scale from {@code min} to {@code max}.
   *
   * @param min smallest rate, {@code > 0}
   * @param max largest rate, {@code > min}
   * @param n number of rates
   * @return the grid
   */
  public static double[] logGrid(double min, double max, int n) {
    if (!(min > 0) || !(max > min) || n < 2) {
      throw new IllegalArgumentException("log grid needs 0 < min < max and n ≥ 2, got min "
          + min + ", max " + max + ", n " + n);
    }
    double[] grid = new double[n];
    double ratio = Math.log(max / min) / (n - 1);
    for (int i = 0; i < n; i++) {
      grid[i] = min * Math.exp(ratio * i);
    }
    grid[n - 1] = max;
    return grid;
  }

  /**
   * The best fixed uniform rate of a grid: fewest iterations to {@code target}, ties and
   * never-reached cases broken by the lowest final loss. This is the strongest grid-tuned
   * baseline, chosen with hindsight.
   *
   * @param f the function
   * @param start {@code x_0}
   * @param grid candidate rates
   * @param iterations {@code T}
   * @param target loss to reach
   * @return the best trajectory
   */
  public static Trajectory bestOfGrid(
      DifferentiableFunction f, double[] start, double[] grid, int iterations, double target) {
    Trajectory best = null;
    for (double rate : grid) {
      Trajectory run = fixedRate(f, start, rate, iterations);
      if (best == null || better(run, best, target)) {
        best = run;
      }
    }
    return best;
  }

  private static boolean better(Trajectory run, Trajectory best, double target) {
    int runIterations = run.iterationsTo(target).orElse(Integer.MAX_VALUE);
    int bestIterations = best.iterationsTo(target).orElse(Integer.MAX_VALUE);
    if (runIterations != bestIterations) {
      return runIterations < bestIterations;
    }
    double runLoss = Double.isFinite(run.finalLoss()) ? run.finalLoss() : Double.MAX_VALUE;
    double bestLoss = Double.isFinite(best.finalLoss()) ? best.finalLoss() : Double.MAX_VALUE;
    return runLoss < bestLoss;
  }
}
