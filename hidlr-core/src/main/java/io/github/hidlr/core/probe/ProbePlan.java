package io.github.hidlr.core.probe;

/**
 * Where a scheme wants the loss evaluated: the probe sizes {@code h_k} and the list of
 * displacements {@code ξ^(j)}; displacement 0 is always the origin, giving {@code L0}. The
 * number of forward passes is {@code displacements().length}.
 *
 * @param probeSizes {@code h_k > 0}, one per group
 * @param displacements the {@code ξ} vectors to evaluate, the first all zeros
 */
public record ProbePlan(double[] probeSizes, double[][] displacements) {

  /**
   * Number of forward passes this plan costs.
   *
   * @return {@code displacements().length}
   */
  public int forwardPasses() {
    return displacements.length;
  }
}
