package io.github.hidlr.core.probe;

/**
 * The engine's side of probing (ALGORITHM.md §3): the loss on the probe batch at displaced
 * weights {@code L(w − Σ_k ξ_k d_(k))}, where {@code d_(k)} is the current direction of group
 * {@code k}. In the style of torch's {@code step(closure)} and optax's {@code value_fn}, core
 * asks, engines answer: core never sees a tensor.
 *
 * <p>Implementations evaluate in inference mode (no dropout, no batch-norm statistics
 * updates) and leave the weights exactly as they found them.
 */
@FunctionalInterface
public interface LossProbe {

  /**
   * The loss at {@code w − Σ_k ξ_k d_(k)}.
   *
   * @param displacement {@code ξ}, one entry per group (zero leaves that group in place)
   * @return the loss; NaN or infinite values are allowed and handled by the tuner
   */
  double loss(double[] displacement);

  /**
   * Losses at several displacements, in order. Engines may override to reuse work between
   * probes; the default calls {@link #loss(double[])} for each.
   *
   * @param displacements the {@code ξ} vectors
   * @return one loss per displacement
   */
  default double[] losses(double[][] displacements) {
    double[] out = new double[displacements.length];
    for (int j = 0; j < displacements.length; j++) {
      out[j] = loss(displacements[j]);
    }
    return out;
  }

  /**
   * The arithmetic the losses are computed in, for the resolution guard.
   *
   * @return float32 unless overridden
   */
  default LossPrecision precision() {
    return LossPrecision.FLOAT32;
  }
}
