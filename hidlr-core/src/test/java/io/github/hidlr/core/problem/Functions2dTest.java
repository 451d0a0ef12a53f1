package io.github.hidlr.core.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.hidlr.core.example.Functions2dStudy;
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.core.probe.ProbeScheme;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Functions2dTest {

  @Test
  void hiDlrIsNewtonOnTheEllipseAndFinishesInOneStep() {
    List<Functions2dStudy.Result> results = Functions2dStudy.run(Functions2dStudy.ellipse());
    Trajectory hiDlr = results.get(0).trajectory();
    assertThat(hiDlr.losses()[1]).isLessThan(1e-12);
    // the greedy rates are 1/λ: 1/2 for x, 1/20 for y
    assertThat(hiDlr.rates().get(0)[0]).isCloseTo(0.5, within(1e-9));
    assertThat(hiDlr.rates().get(0)[1]).isCloseTo(0.05, within(1e-9));
    assertThat(results.get(3).iterationsToTolerance()).as("the paper's policy").isEqualTo(1);
    Trajectory hiUlr = results.get(1).trajectory();
    assertThat(hiUlr.losses()[1]).isGreaterThan(1e-3);
    assertThat(results.get(1).iterationsToTolerance()).isGreaterThan(1);
  }

  @Test
  void hiDlrBeatsHiUlrAndTheBestGridRateOnBealePlusRosenbrock() {
    Functions2dStudy.Setting setting = Functions2dStudy.bealeRosenbrock();
    assertThat(setting.optimum()).isBetween(6.32461, 6.32463);
    assertThat(setting.minimum()[0]).isCloseTo(-1.2250, within(1e-4));
    assertThat(setting.minimum()[1]).isCloseTo(1.5077, within(1e-4));
    assertThat(Functions2dStudy.GRID_POINTS).isGreaterThanOrEqualTo(24);
    List<Functions2dStudy.Result> results = Functions2dStudy.run(setting);
    int hiDlr = results.get(0).iterationsToTolerance();
    int hiUlr = results.get(1).iterationsToTolerance();
    int grid = results.get(2).iterationsToTolerance();
    assertThat(hiDlr).isPositive().isLessThan(hiUlr).isLessThan(grid);
    // the default policy and the paper's both need at most half the best grid rate's iterations
    assertThat(2 * hiDlr).isLessThanOrEqualTo(grid);
    int paper = results.get(3).iterationsToTolerance();
    assertThat(paper).isPositive();
    assertThat(2 * paper).isLessThanOrEqualTo(grid);
    assertThat(hiUlr).isPositive();
    assertThat(grid).isPositive();
    assertThat(Functions2dStudy.table(results)).contains("hi-dlr", "hi-ulr", "ulr-best");
  }

  @Test
  void fullSchemeIsNewtonOnACoupledQuadratic() {
    double[][] q = {{3, 1, 0.5}, {1, 2, 0.3}, {0.5, 0.3, 1}};
    DifferentiableFunction f = new DifferentiableFunction() {
      @Override
      public int dimension() {
        return 3;
      }

      @Override
      public double value(double[] x) {
        double v = 0;
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            v += 0.5 * x[i] * q[i][j] * x[j];
          }
        }
        return v;
      }

      @Override
      public double[] gradient(double[] x) {
        double[] g = new double[3];
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            g[i] += q[i][j] * x[j];
          }
        }
        return g;
      }
    };
    Random random = new Random(11);
    for (int trial = 0; trial < 5; trial++) {
      // positive coordinates and a positive Q make every Newton rate x_k / (Qx)_k positive
      double[] start = {0.1 + random.nextDouble(), 0.1 + random.nextDouble(),
          0.1 + random.nextDouble()};
      GroupedProblem problem = GroupedProblem.perCoordinate(f);
      HiDlrTuner tuner = HiDlrTuner.create(TunerConfig.hiDlr().setInitialRate(0.1)
          .optScheme(ProbeScheme.Kind.FULL).optRateSmoothing(0).optClip(Double.POSITIVE_INFINITY)
          .build(), problem.layout());
      Trajectory run = GradientDescent.tuned(problem, start, tuner, 1, "full");
      assertThat(run.reports().get(0).fullSolve()).isTrue();
      for (double coordinate : run.finalPoint()) {
        assertThat(coordinate).isCloseTo(0, within(1e-9));
      }
    }
  }

  @Test
  void logGridSpansItsEnds() {
    double[] grid = GradientDescent.logGrid(1e-5, 1, 25);
    assertThat(grid).hasSize(25);
    assertThat(grid[0]).isEqualTo(1e-5);
    assertThat(grid[24]).isEqualTo(1);
    assertThat(grid[12]).isCloseTo(Math.sqrt(1e-5), within(1e-12));
  }
}
