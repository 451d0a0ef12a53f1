package io.github.hidlr.core.probe;

import io.github.hidlr.core.linalg.LeastSquares;
import java.util.SplittableRandom;

/**
 * REGRESSION probing, the Hi-DLR paper's Algorithm 1 ("a finite-sum problem"; ALGORITHM.md
 * §3): {@code M ≥ 2K + 1} probes each move all groups at once by {@code ξ^(j)_k = u_jk h_k}
 * with {@code u_jk} drawn from {@code {−2, −1, 1, 2}}, and least squares fits
 * <pre>
 *   L(w − Σ_k ξ_k d_(k)) − L0 ≈ Σ_k (−ξ_k) b_k + ½ ξ_k² a_k
 * </pre>
 * on the {@code 2K} features {@code (−ξ_k, ½ ξ_k²)}, reporting {@code R²}. {@code M + 1}
 * forward passes.
 *
 * <p>The fit is solved in the scaled unknowns {@code (b_k h_k, a_k h_k²)} so that groups
 * whose probe sizes differ by orders of magnitude stay well conditioned. The design of probe
 * {@code i} is drawn from a generator seeded by {@code (seed, i)}, so it needs no saved
 * state; a draw that is rank-deficient is redrawn.
 */
public final class RegressionScheme implements ProbeScheme {

  private static final double[] LEVELS = {-2, -1, 1, 2};
  private static final int MAX_DRAWS = 64;

  private final int groups;
  private final int probes;
  private final long seed;

  /**
   * A regression scheme.
   *
   * @param groups {@code K ≥ 1}
   * @param probes {@code M ≥ 2K + 1}
   * @param seed seeds the random designs
   */
  public RegressionScheme(int groups, int probes, long seed) {
    if (groups < 1) {
      throw new IllegalArgumentException("groups " + groups + " must be at least 1");
    }
    if (probes < 2 * groups + 1) {
      throw new IllegalArgumentException("regressionProbes M = " + probes + " is below 2K + 1 = "
          + (2 * groups + 1) + " for K = " + groups + ": the fit has 2K unknowns and needs a"
          + " spare observation for R²");
    }
    this.groups = groups;
    this.probes = probes;
    this.seed = seed;
  }

  /**
   * The default number of probes, {@code 4K}, but at least {@code 2K + 1}.
   *
   * @param groups {@code K}
   * @return {@code max(4K, 2K + 1)}
   */
  public static int defaultProbes(int groups) {
    return Math.max(4 * groups, 2 * groups + 1);
  }

  @Override
  public ProbePlan plan(double[] probeSizes, long probeIndex) {
    Schemes.checkSizes(probeSizes, groups);
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (probeIndex + 1)));
    double[][] units = null;
    for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
      double[][] draw = new double[probes][groups];
      for (double[] row : draw) {
        for (int k = 0; k < groups; k++) {
          row[k] = LEVELS[random.nextInt(LEVELS.length)];
        }
      }
      if (LeastSquares.solve(design(draw), new double[probes]).fullRank()) {
        units = draw;
        break;
      }
    }
    if (units == null) {
      throw new IllegalStateException("could not draw a full-rank regression design in "
          + MAX_DRAWS + " tries for K = " + groups + ", M = " + probes + ": raise M");
    }
    double[][] displacements = new double[probes + 1][groups];
    for (int j = 0; j < probes; j++) {
      for (int k = 0; k < groups; k++) {
        displacements[j + 1][k] = units[j][k] * probeSizes[k];
      }
    }
    return new ProbePlan(probeSizes.clone(), displacements);
  }

  @Override
  public QuadraticFit fit(
      ProbePlan plan, double[] losses, LossPrecision precision, double resolutionUlps) {
    Schemes.checkLosses(plan, losses);
    double[] h = plan.probeSizes();
    double l0 = losses[0];
    double[][] units = new double[probes][groups];
    double[] target = new double[probes];
    for (int j = 0; j < probes; j++) {
      for (int k = 0; k < groups; k++) {
        units[j][k] = plan.displacements()[j + 1][k] / h[k];
      }
      target[j] = losses[j + 1] - l0;
    }
    LeastSquares.Solution solution = LeastSquares.solve(design(units), target);
    double[] b = new double[groups];
    double[] a = new double[groups];
    for (int k = 0; k < groups; k++) {
      b[k] = solution.coefficients()[k] / h[k];
      a[k] = solution.coefficients()[groups + k] / (h[k] * h[k]);
    }
    boolean[] resolved = ProbeScheme.resolution(a, h, l0, precision, resolutionUlps);
    return new QuadraticFit(
        l0, b, a, null, solution.rSquared(), resolved, solution.fullRank(), losses.length);
  }

  @Override
  public int forwardPasses() {
    return probes + 1;
  }

  /** Features {@code (−u_k, ½ u_k²)} of the scaled unknowns {@code (b_k h_k, a_k h_k²)}. */
  private double[][] design(double[][] units) {
    double[][] x = new double[units.length][2 * groups];
    for (int j = 0; j < units.length; j++) {
      for (int k = 0; k < groups; k++) {
        x[j][k] = -units[j][k];
        x[j][groups + k] = 0.5 * units[j][k] * units[j][k];
      }
    }
    return x;
  }
}
