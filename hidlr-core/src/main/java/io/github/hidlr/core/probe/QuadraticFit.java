package io.github.hidlr.core.probe;

/**
 * The parabola fitted to probe losses (ALGORITHM.md §2–§3):
 * {@code L(w − Σ ξ_k d_(k)) ≈ L0 − Σ b_k ξ_k + ½ Σ A_jk ξ_j ξ_k}.
 *
 * @param l0 the loss at the current weights
 * @param b {@code b_k = G_(k)ᵀ d_(k)}, the directional slopes
 * @param a {@code a_k = A_kk = d_(k)ᵀ H_(kk) d_(k)}, the directional curvatures
 * @param fullA the whole matrix {@code A} (FULL scheme only), else {@code null}
 * @param rSquared goodness of fit of the REGRESSION scheme; NaN for the schemes that
 *     interpolate exactly
 * @param resolved per group: whether the curvature term {@code |a_k| h_k²} exceeds the
 *     resolution of the loss arithmetic (ALGORITHM.md §3, resolution guard)
 * @param wellPosed false when the probe design was degenerate (rank-deficient regression)
 * @param forwardPasses how many loss evaluations the fit used
 */
public record QuadraticFit(
    double l0,
    double[] b,
    double[] a,
    double[][] fullA,
    double rSquared,
    boolean[] resolved,
    boolean wellPosed,
    int forwardPasses) {}
