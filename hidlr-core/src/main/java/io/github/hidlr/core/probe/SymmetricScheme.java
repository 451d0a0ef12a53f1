package io.github.hidlr.core.probe;

/**
 * SYMMETRIC probing (ALGORITHM.md §3, the default): {@code L0 = L(w)} and, for each group
 * alone, {@code L_k⁺ = L(w − h_k d_(k))}, {@code L_k⁻ = L(w + h_k d_(k))}; then
 * <pre>
 *   b_k = (L_k⁻ − L_k⁺) / (2 h_k)        a_k = (L_k⁺ + L_k⁻ − 2 L0) / h_k²
 * </pre>
 * {@code 2K + 1} forward passes, exact for quadratics, no cross terms. With {@code K = 1} it
 * is the GeN reference probe ({@code lr_factor = [-1, 0, 1]}; Bu &amp; Xu 2024).
 */
public final class SymmetricScheme implements ProbeScheme {

  private final int groups;

  /**
   * A symmetric scheme for {@code groups} groups.
   *
   * @param groups {@code K ≥ 1}
   */
  public SymmetricScheme(int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("groups " + groups + " must be at least 1");
    }
    this.groups = groups;
  }

  @Override
  public ProbePlan plan(double[] probeSizes, long probeIndex) {
    Schemes.checkSizes(probeSizes, groups);
    double[][] displacements = new double[2 * groups + 1][groups];
    for (int k = 0; k < groups; k++) {
      displacements[1 + 2 * k][k] = probeSizes[k];
      displacements[2 + 2 * k][k] = -probeSizes[k];
    }
    return new ProbePlan(probeSizes.clone(), displacements);
  }

  @Override
  public QuadraticFit fit(
      ProbePlan plan, double[] losses, LossPrecision precision, double resolutionUlps) {
    Schemes.checkLosses(plan, losses);
    double[] h = plan.probeSizes();
    double l0 = losses[0];
    double[] b = new double[groups];
    double[] a = new double[groups];
    for (int k = 0; k < groups; k++) {
      double plus = losses[1 + 2 * k];
      double minus = losses[2 + 2 * k];
      b[k] = (minus - plus) / (2 * h[k]);
      a[k] = (plus + minus - 2 * l0) / (h[k] * h[k]);
    }
    boolean[] resolved = ProbeScheme.resolution(a, h, l0, precision, resolutionUlps);
    return new QuadraticFit(l0, b, a, null, Double.NaN, resolved, true, losses.length);
  }

  @Override
  public int forwardPasses() {
    return 2 * groups + 1;
  }
}
