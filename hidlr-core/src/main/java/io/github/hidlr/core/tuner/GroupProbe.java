package io.github.hidlr.core.tuner;

/**
 * What one probe found for one group (the optax {@code LinesearchInfo} idea: diagnostics
 * apart from state). For an accepted fit {@code rejection} is {@code null}.
 *
 * @param group the group's name
 * @param probeSize the probe size {@code h_k} used
 * @param a directional curvature {@code a_k}
 * @param b directional slope {@code b_k}
 * @param candidate {@code c_k = b_k / a_k} (FULL: component {@code k} of {@code A⁻¹ b}),
 *     before clipping; NaN when it could not be formed
 * @param accepted whether the fit updated the estimate
 * @param rejection why not, or {@code null} when accepted
 * @param estimateBefore {@code ê_k} before this probe
 * @param estimateAfter {@code ê_k} after this probe
 * @param predictedDecrease {@code b_k² / (2 a_k)}, the loss decrease at the group's optimal
 *     rate; NaN when {@code a_k ≤ 0}
 * @param influence {@code PPI_k = b_k² / (a_k n_k)}; NaN when {@code a_k ≤ 0}
 */
public record GroupProbe(
    String group,
    double probeSize,
    double a,
    double b,
    double candidate,
    boolean accepted,
    Rejection rejection,
    double estimateBefore,
    double estimateAfter,
    double predictedDecrease,
    double influence) {}
