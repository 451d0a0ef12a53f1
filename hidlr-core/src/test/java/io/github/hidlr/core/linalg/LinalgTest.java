package io.github.hidlr.core.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinalgTest {

  @Test
  void leastSquaresRecoversKnownCoefficientsAcrossSeeds() {
    for (long seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      int n = 1 + r.nextInt(6);
      int m = n + 1 + r.nextInt(10);
      double[] theta = new double[n];
      for (int j = 0; j < n; j++) {
        theta[j] = r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2);
      }
      double[][] x = new double[m][n];
      double[] y = new double[m];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          x[i][j] = r.nextGaussian();
          y[i] += x[i][j] * theta[j];
        }
      }
      LeastSquares.Solution solution = LeastSquares.solve(x, y);
      assertThat(solution.fullRank()).isTrue();
      assertThat(solution.rSquared()).isCloseTo(1, within(1e-12));
      for (int j = 0; j < n; j++) {
        assertThat(solution.coefficients()[j])
            .isCloseTo(theta[j], within(1e-10 * Math.max(1, Math.abs(theta[j]))));
      }
    }
  }

  @Test
  void leastSquaresReportsRankDeficiency() {
    double[][] x = {{1, 2}, {2, 4}, {3, 6}};
    LeastSquares.Solution solution = LeastSquares.solve(x, new double[] {1, 2, 3});
    assertThat(solution.fullRank()).isFalse();
    assertThat(solution.coefficients()).containsOnly(Double.NaN);
  }

  @Test
  void choleskySolvesPositiveDefiniteAndRejectsIndefinite() {
    double[][] a = {{4, 1}, {1, 3}};
    double[] x = Cholesky.decompose(a).orElseThrow().solve(new double[] {1, 2});
    assertThat(4 * x[0] + x[1]).isCloseTo(1, within(1e-14));
    assertThat(x[0] + 3 * x[1]).isCloseTo(2, within(1e-14));
    assertThat(Cholesky.decompose(new double[][] {{1, 2}, {2, 1}})).isEmpty();
    assertThat(Cholesky.decompose(new double[][] {{0}})).isEmpty();
  }
}
