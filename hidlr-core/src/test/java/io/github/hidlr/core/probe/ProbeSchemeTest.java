package io.github.hidlr.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProbeSchemeTest {

  static Stream<Arguments> seedsAndSizes() {
    Stream.Builder<Arguments> out = Stream.builder();
    int[] sizes = {1, 2, 3, 5, 8, 16};
    for (int k : sizes) {
      for (long seed = 1; seed <= 10; seed++) {
        out.add(Arguments.of(k, seed));
      }
    }
    return out.build();
  }

  private static double[] probeSizes(int k, long seed) {
    Random r = new Random(seed * 7919);
    double[] h = new double[k];
    for (int i = 0; i < k; i++) {
      h[i] = Math.exp(r.nextGaussian() - 1);
    }
    return h;
  }

  private static QuadraticFit run(ProbeScheme scheme, QuadraticLoss loss, double[] h) {
    ProbePlan plan = scheme.plan(h, 0);
    return scheme.fit(plan, loss.losses(plan.displacements()), loss.precision(), 4);
  }

  private static void assertRelative(double[] actual, double[] expected, double tolerance) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("entry %d", i)
          .isCloseTo(expected[i], within(tolerance * Math.max(1e-3, Math.abs(expected[i]))));
    }
  }

  @ParameterizedTest(name = "K={0} seed={1}")
  @MethodSource("seedsAndSizes")
  void symmetricRecoversSlopesAndCurvatures(int k, long seed) {
    QuadraticLoss loss = QuadraticLoss.random(k, seed, true);
    QuadraticFit fit = run(new SymmetricScheme(k), loss, probeSizes(k, seed));
    assertRelative(fit.b(), loss.b, 1e-9);
    assertRelative(fit.a(), loss.diagonal(), 1e-9);
    assertThat(fit.forwardPasses()).isEqualTo(2 * k + 1);
    assertThat(fit.resolved()).containsOnly(true);
    assertThat(fit.l0()).isEqualTo(loss.c);
  }

  @ParameterizedTest(name = "K={0} seed={1}")
  @MethodSource("seedsAndSizes")
  void fullRecoversTheWholeMatrix(int k, long seed) {
    QuadraticLoss loss = QuadraticLoss.random(k, seed, true);
    QuadraticFit fit = run(new FullScheme(k), loss, probeSizes(k, seed));
    assertRelative(fit.b(), loss.b, 1e-9);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        assertThat(fit.fullA()[i][j]).as("A[%d][%d]", i, j)
            .isCloseTo(loss.a[i][j], within(1e-9 * Math.max(1, Math.abs(loss.a[i][j]))));
      }
    }
    assertThat(fit.forwardPasses()).isEqualTo(1 + 2 * k + k * (k - 1) / 2);
  }

  @ParameterizedTest(name = "K={0} seed={1}")
  @MethodSource("seedsAndSizes")
  void regressionRecoversSeparableQuadraticsExactly(int k, long seed) {
    QuadraticLoss loss = QuadraticLoss.random(k, seed, false);
    RegressionScheme scheme = new RegressionScheme(k, RegressionScheme.defaultProbes(k), seed);
    QuadraticFit fit = run(scheme, loss, probeSizes(k, seed));
    assertThat(fit.wellPosed()).isTrue();
    assertThat(fit.rSquared()).isCloseTo(1.0, within(1e-12));
    assertRelative(fit.b(), loss.b, 1e-9);
    assertRelative(fit.a(), loss.diagonal(), 1e-9);
    assertThat(fit.forwardPasses()).isEqualTo(RegressionScheme.defaultProbes(k) + 1);
  }

  @Test
  void regressionErrorGrowsSmoothlyWithNoise() {
    int k = 4;
    double[] noiseLevels = {1e-8, 1e-6, 1e-4, 1e-2};
    double[] meanError = new double[noiseLevels.length];
    for (int level = 0; level < noiseLevels.length; level++) {
      double total = 0;
      int trials = 40;
      for (long seed = 1; seed <= trials; seed++) {
        QuadraticLoss clean = QuadraticLoss.random(k, seed, false);
        QuadraticLoss noisy = clean.withNoise(noiseLevels[level], seed + 1000);
        RegressionScheme scheme = new RegressionScheme(k, 4 * k, seed);
        double[] h = new double[k];
        java.util.Arrays.fill(h, 0.5);
        QuadraticFit fit = run(scheme, noisy, h);
        for (int i = 0; i < k; i++) {
          total += Math.abs(fit.a()[i] - clean.a[i][i]) / clean.a[i][i];
        }
      }
      meanError[level] = total / (trials * k);
    }
    for (int level = 1; level < noiseLevels.length; level++) {
      double ratio = meanError[level] / meanError[level - 1];
      // Linear in the noise: a 100x noise increase gives roughly a 100x error increase.
      assertThat(ratio).as("error ratio from noise %g to %g", noiseLevels[level - 1],
          noiseLevels[level]).isBetween(30.0, 300.0);
    }
    assertThat(meanError[0]).isLessThan(1e-6);
  }

  @Test
  void regressionDesignsAreSeededAndDrawnFromTheFourLevels() {
    RegressionScheme scheme = new RegressionScheme(3, 12, 42);
    double[] h = {1, 2, 4};
    ProbePlan first = scheme.plan(h, 5);
    ProbePlan again = new RegressionScheme(3, 12, 42).plan(h, 5);
    assertThat(first.displacements()).isDeepEqualTo(again.displacements());
    assertThat(java.util.Arrays.deepEquals(scheme.plan(h, 6).displacements(), first.displacements())).isFalse();
    for (int j = 1; j < first.forwardPasses(); j++) {
      for (int k = 0; k < 3; k++) {
        assertThat(Math.abs(first.displacements()[j][k]) / h[k]).isIn(1.0, 2.0);
      }
    }
    assertThat(first.displacements()[0]).containsOnly(0.0);
  }

  @Test
  void resolutionGuardFlagsCurvatureBelowFloat32Resolution() {
    double[][] a = {{1e-9}};
    QuadraticLoss loss = new QuadraticLoss(1.0, new double[] {1e-3}, a, 0, 1,
        LossPrecision.FLOAT32);
    QuadraticFit fit = run(new SymmetricScheme(1), loss, new double[] {1e-2});
    assertThat(fit.resolved()).containsExactly(false);
    QuadraticLoss precise = new QuadraticLoss(1.0, new double[] {1e-3}, a, 0, 1,
        LossPrecision.FLOAT64);
    assertThat(run(new SymmetricScheme(1), precise, new double[] {1e-2}).resolved())
        .containsExactly(true);
  }

  @Test
  void regressionRejectsTooFewProbes() {
    assertThatThrownBy(() -> new RegressionScheme(3, 6, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("M = 6").hasMessageContaining("2K + 1 = 7");
  }

  @Test
  void probeSizesMustBePositive() {
    assertThatThrownBy(() -> new SymmetricScheme(2).plan(new double[] {1, 0}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h_1 = 0.0");
  }
}
