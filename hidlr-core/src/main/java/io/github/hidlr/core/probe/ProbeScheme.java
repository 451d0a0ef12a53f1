package io.github.hidlr.core.probe;

/**
 * A probe scheme of ALGORITHM.md §3: a {@link #plan plan} of displacements to evaluate and a
 * closed-form {@link #fit fit} from their losses to {@code a} and {@code b}. Implementations
 * are immutable and sized for a fixed number of groups.
 */
public sealed interface ProbeScheme permits SymmetricScheme, RegressionScheme, FullScheme {

  /** The three schemes. */
  enum Kind {
    /** {@code 2K + 1} passes, one group at a time, central differences (the default). */
    SYMMETRIC,
    /** The paper's Algorithm 1: {@code M} joint random probes and least squares. */
    REGRESSION,
    /** SYMMETRIC plus one probe per pair, giving the whole matrix {@code A}. */
    FULL
  }

  /**
   * The displacements to evaluate at this probe.
   *
   * @param probeSizes {@code h_k > 0}, normally the current rate estimates {@code ê_k}
   * @param probeIndex how many probes came before (seeds the REGRESSION design)
   * @return the plan
   */
  ProbePlan plan(double[] probeSizes, long probeIndex);

  /**
   * Fits the parabola to the losses measured at a plan's displacements.
   *
   * @param plan the plan the losses belong to
   * @param losses one finite loss per displacement, the first being {@code L0}
   * @param precision the arithmetic of the losses, for the resolution guard
   * @param resolutionUlps the guard's threshold in units in the last place of {@code L0}
   * @return the fit
   */
  QuadraticFit fit(ProbePlan plan, double[] losses, LossPrecision precision, double resolutionUlps);

  /**
   * Forward passes per probe.
   *
   * @return the cost {@code P} of ALGORITHM.md §5
   */
  int forwardPasses();

  /**
   * The scheme for {@code groups} groups.
   *
   * @param kind which scheme
   * @param groups {@code K ≥ 1}
   * @param regressionProbes {@code M} for REGRESSION ({@code ≥ 2K + 1}); 0 means {@code 4K}
   * @param seed seeds the REGRESSION design
   * @return the scheme
   */
  static ProbeScheme create(Kind kind, int groups, int regressionProbes, long seed) {
    return switch (kind) {
      case SYMMETRIC -> new SymmetricScheme(groups);
      case REGRESSION -> new RegressionScheme(
          groups, regressionProbes == 0 ? RegressionScheme.defaultProbes(groups) : regressionProbes,
          seed);
      case FULL -> new FullScheme(groups);
    };
  }

  /**
   * The resolution guard of ALGORITHM.md §3, shared by every scheme: group {@code k}'s
   * curvature is resolved when {@code |a_k| h_k² ≥ ulps · ulp(L0)}. For SYMMETRIC this is
   * exactly {@code |L⁺ + L⁻ − 2 L0| ≥ ulps · ulp(L0)}.
   *
   * @param a curvatures
   * @param h probe sizes
   * @param l0 loss at the origin
   * @param precision loss arithmetic
   * @param ulps threshold in ulps
   * @return per group, whether resolved
   */
  static boolean[] resolution(
      double[] a, double[] h, double l0, LossPrecision precision, double ulps) {
    double threshold = ulps * precision.ulp(l0);
    boolean[] resolved = new boolean[a.length];
    for (int k = 0; k < a.length; k++) {
      resolved[k] = Math.abs(a[k]) * h[k] * h[k] >= threshold;
    }
    return resolved;
  }
}
