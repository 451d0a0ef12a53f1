package io.github.hidlr.core.tuner;

/** How successive fits are averaged into the estimate {@code ê_k} (ALGORITHM.md §4). */
public enum Smoothing {
  /**
   * Exponential moving average of the rate: {@code ê_k ← γ ê_k + (1 − γ) c_k} after
   * clipping (the Hi-DLR and GeN default).
   */
  RATE_EMA,
  /**
   * The CDAT variant: EMAs {@code ā_k, b̄_k} of the moments with factor {@code β}, and
   * {@code ê_k = b̄_k / ā_k} (then clipped). Starting both EMAs at zero needs no bias
   * correction, since the correction factors cancel in the ratio.
   */
  MOMENT_EMA
}
