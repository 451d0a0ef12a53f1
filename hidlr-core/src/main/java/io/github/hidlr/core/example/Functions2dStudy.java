package io.github.hidlr.core.example;

import io.github.hidlr.core.problem.DifferentiableFunction;
import io.github.hidlr.core.problem.Functions2d;
import io.github.hidlr.core.problem.GradientDescent;
import io.github.hidlr.core.problem.GroupedProblem;
import io.github.hidlr.core.problem.Trajectory;
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.core.tuner.TunerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The 2D experiment of the Hi-DLR paper's Figure 2 (ALGORITHM.md §8): on the ellipse
 * {@code x² + 10y²} from {@code (3, 3)} and on Beale + Rosenbrock from {@code (−2, 2)},
 * gradient descent with Hi-DLR (groups {@code {x}}, {@code {y}}), with Hi-ULR (one group,
 * GeN), and with the best uniform rate of a log grid from {@code 1e-5} to {@code 1}; reports
 * the iterations each needs to reach {@code f* + tol}.
 *
 * <p>The tuners run unsmoothed and unclipped ({@code γ = 0}, {@code ρ = ∞}), probe every
 * step, and start from {@code η0 = 1e-3}: on a quadratic this makes Hi-DLR exactly Newton's
 * method.
 */
public final class Functions2dStudy {

  /** Initial rate of the tuners. */
  public static final double INITIAL_RATE = 1e-3;
  /** Loss tolerance above {@code f*}. */
  public static final double TOLERANCE = 1e-6;
  /** Points in the uniform-rate grid. */
  public static final int GRID_POINTS = 25;

  /**
   * One function's setting.
   *
   * @param name a label
   * @param function the function
   * @param start {@code x_0}
   * @param minimum the minimiser the runs should reach
   * @param iterations the budget
   */
  public record Setting(
      String name, DifferentiableFunction function, double[] start, double[] minimum,
      int iterations) {

    /**
     * {@code f*}, the value at the minimiser.
     *
     * @return {@code f(minimum)}
     */
    public double optimum() {
      return function.value(minimum);
    }
  }

  /**
   * One method's result on one function.
   *
   * @param setting the function's setting
   * @param method {@code hi-dlr}, {@code hi-ulr} or {@code ulr-best}
   * @param trajectory the run
   * @param uniformRate the grid rate for {@code ulr-best}, else NaN
   */
  public record Result(Setting setting, String method, Trajectory trajectory, double uniformRate) {

    /**
     * Iterations to {@code f* + tol}, or −1 if never reached.
     *
     * @return the count
     */
    public int iterationsToTolerance() {
      return trajectory.iterationsTo(setting.optimum() + TOLERANCE).orElse(-1);
    }
  }

  private Functions2dStudy() {}

  /**
   * The ellipse from {@code (3, 3)}, 100 iterations.
   *
   * @return the setting
   */
  public static Setting ellipse() {
    return new Setting("ellipse", Functions2d.ellipse(), new double[] {3, 3}, new double[] {0, 0},
        100);
  }

  /**
   * Beale + Rosenbrock from {@code (−2, 2)}, 300 iterations, minimum refined from
   * {@code (−1.2250, 1.5077)}.
   *
   * @return the setting
   */
  public static Setting bealeRosenbrock() {
    DifferentiableFunction f = Functions2d.bealePlusRosenbrock();
    return new Setting("beale+rosenbrock", f, new double[] {-2, 2},
        Functions2d.refineMinimum(f, Functions2d.BEALE_ROSENBROCK_MINIMUM), 300);
  }

  /**
   * The tuner configuration the study uses.
   *
   * @param preset {@link TunerConfig#hiDlr()}, {@link TunerConfig#paper()} or
   *     {@link TunerConfig#gen()}
   * @return unsmoothed, unclipped, probing every step
   */
  public static TunerConfig unsmoothed(TunerConfig.Builder preset) {
    return preset.setInitialRate(INITIAL_RATE).optRateSmoothing(0)
        .optClip(Double.POSITIVE_INFINITY).optProbeEvery(1).build();
  }

  /**
   * Runs the three methods on one setting.
   *
   * @param setting the function
   * @return Hi-DLR (the default policy), Hi-ULR, the best grid rate and Hi-DLR with the
   *     paper's policy, in that order
   */
  public static List<Result> run(Setting setting) {
    List<Result> results = new ArrayList<>();
    GroupedProblem perCoordinate = GroupedProblem.perCoordinate(setting.function());
    HiDlrTuner hiDlr = HiDlrTuner.create(unsmoothed(TunerConfig.hiDlr()), perCoordinate.layout());
    results.add(new Result(setting, "hi-dlr", GradientDescent.tuned(
        perCoordinate, setting.start(), hiDlr, setting.iterations(), "hi-dlr"), Double.NaN));
    GroupedProblem single = GroupedProblem.single(setting.function());
    HiDlrTuner hiUlr = HiDlrTuner.create(unsmoothed(TunerConfig.gen()), single.layout());
    results.add(new Result(setting, "hi-ulr", GradientDescent.tuned(
        single, setting.start(), hiUlr, setting.iterations(), "hi-ulr"), Double.NaN));
    double[] grid = GradientDescent.logGrid(1e-5, 1, GRID_POINTS);
    Trajectory best = GradientDescent.bestOfGrid(setting.function(), setting.start(), grid,
        setting.iterations(), setting.optimum() + TOLERANCE);
    results.add(new Result(setting, "ulr-best", best, best.rates().get(0)[0]));
    HiDlrTuner paper = HiDlrTuner.create(unsmoothed(TunerConfig.paper()), perCoordinate.layout());
    results.add(new Result(setting, "hi-dlr-paper", GradientDescent.tuned(
        perCoordinate, setting.start(), paper, setting.iterations(), "hi-dlr-paper"),
        Double.NaN));
    return results;
  }

  /**
   * Formats results as a fixed-width table.
   *
   * @param results the results
   * @return the table
   */
  public static String table(List<Result> results) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%-18s %-12s %10s %16s %22s %10s%n", "function", "method", "iters", "final f",
        "final (x, y)", "ulr"));
    for (Result r : results) {
      double[] p = r.trajectory().finalPoint();
      int iterations = r.iterationsToTolerance();
      out.append(String.format(Locale.ROOT, "%-18s %-12s %10s %16.9f %22s %10s%n",
          r.setting().name(), r.method(), iterations < 0 ? ">" + r.setting().iterations()
              : Integer.toString(iterations), r.trajectory().finalLoss(),
          String.format(Locale.ROOT, "(%.4f, %.4f)", p[0], p[1]),
          Double.isNaN(r.uniformRate()) ? "-" : String.format(Locale.ROOT, "%.3g",
              r.uniformRate())));
    }
    return out.toString();
  }

  /**
   * Prints the table for both functions.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    List<Result> results = new ArrayList<>(run(ellipse()));
    results.addAll(run(bealeRosenbrock()));
    System.out.println("Hi-DLR on the 2D functions of Figure 2: iterations to f* + "
        + TOLERANCE + " (gradient descent direction, η0 = " + INITIAL_RATE + ", γ = 0, ρ = ∞)");
    System.out.print(table(results));
  }
}
