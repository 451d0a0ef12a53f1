package io.github.hidlr.core.probe;

/**
 * FULL probing (ALGORITHM.md §3, for small {@code K}): the SYMMETRIC probes plus, for each
 * pair {@code j < k}, {@code L_jk = L(w − h_j d_(j) − h_k d_(k))}, giving the off-diagonal
 * curvature
 * <pre>
 *   A_jk = (L_jk − L_j⁺ − L_k⁺ + L0) / (h_j h_k)
 * </pre>
 * at {@code 1 + 2K + K(K−1)/2} forward passes. The tuner then solves {@code A η = b}.
 */
public final class FullScheme implements ProbeScheme {

  private final int groups;
  private final SymmetricScheme diagonal;

  /**
   * A full scheme for {@code groups} groups.
   *
   * @param groups {@code K ≥ 1}
   */
  public FullScheme(int groups) {
    this.diagonal = new SymmetricScheme(groups);
    this.groups = groups;
  }

  @Override
  public ProbePlan plan(double[] probeSizes, long probeIndex) {
    ProbePlan symmetric = diagonal.plan(probeSizes, probeIndex);
    double[][] displacements = new double[forwardPasses()][];
    System.arraycopy(symmetric.displacements(), 0, displacements, 0, 2 * groups + 1);
    int row = 2 * groups + 1;
    for (int j = 0; j < groups; j++) {
      for (int k = j + 1; k < groups; k++) {
        double[] xi = new double[groups];
        xi[j] = probeSizes[j];
        xi[k] = probeSizes[k];
        displacements[row++] = xi;
      }
    }
    return new ProbePlan(symmetric.probeSizes(), displacements);
  }

  @Override
  public QuadraticFit fit(
      ProbePlan plan, double[] losses, LossPrecision precision, double resolutionUlps) {
    Schemes.checkLosses(plan, losses);
    int symmetricPasses = 2 * groups + 1;
    double[] symmetricLosses = java.util.Arrays.copyOf(losses, symmetricPasses);
    double[][] symmetricDisplacements =
        java.util.Arrays.copyOf(plan.displacements(), symmetricPasses);
    QuadraticFit diag = diagonal.fit(
        new ProbePlan(plan.probeSizes(), symmetricDisplacements), symmetricLosses, precision,
        resolutionUlps);
    double[] h = plan.probeSizes();
    double l0 = losses[0];
    double[][] full = new double[groups][groups];
    for (int k = 0; k < groups; k++) {
      full[k][k] = diag.a()[k];
    }
    int row = symmetricPasses;
    for (int j = 0; j < groups; j++) {
      for (int k = j + 1; k < groups; k++) {
        double plusJ = losses[1 + 2 * j];
        double plusK = losses[1 + 2 * k];
        double value = (losses[row++] - plusJ - plusK + l0) / (h[j] * h[k]);
        full[j][k] = value;
        full[k][j] = value;
      }
    }
    return new QuadraticFit(
        l0, diag.b(), diag.a(), full, Double.NaN, diag.resolved(), true, losses.length);
  }

  @Override
  public int forwardPasses() {
    return 1 + 2 * groups + groups * (groups - 1) / 2;
  }
}
