package io.github.hidlr.core.tuner;

/**
 * Why a group's fit did not change its rate (ALGORITHM.md §4 step 2: "use the previous
 * learning rate whenever the quadratic is not convex"). Reported per group in every
 * {@link ProbeReport}.
 */
public enum Rejection {
  /** Some probe loss was NaN or infinite: every rate was halved instead of fitting. */
  NON_FINITE_LOSS,
  /** The regression design was rank-deficient. */
  DEGENERATE_DESIGN,
  /** The regression fit's {@code R²} was below {@code r2Min}. */
  LOW_R_SQUARED,
  /** {@code a_k} or {@code b_k} was not finite. */
  NON_FINITE_FIT,
  /** The curvature term was below the loss arithmetic's resolution. */
  UNRESOLVED_CURVATURE,
  /** {@code a_k ≤ 0}: the parabola is not convex along this group's direction. */
  NON_POSITIVE_CURVATURE,
  /** {@code b_k ≤ 0}: the direction does not descend for this group. */
  NON_POSITIVE_SLOPE,
  /** FULL only: component {@code k} of {@code A⁻¹ b} was not positive. */
  NON_POSITIVE_CANDIDATE
}
