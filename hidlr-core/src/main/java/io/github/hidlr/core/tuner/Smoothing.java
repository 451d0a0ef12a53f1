package io.github.hidlr.core.tuner;

/** How successive fits are averaged into the estimate {@code ê_k} (ALGORITHM.md §4). */
public enum Smoothing {
  /**
   * Exponential moving average of the rate: {@code ê_k ← γ ê_k + (1 − γ) c_k} after
   * clipping (the Hi-DLR and GeN default).
   */
  RATE_EMA,
  /**
   * Exponential moving average of the rate's logarithm, after clipping:
   * {@code log ê_k ← γ log ê_k + (1 − γ) log c_k}, i.e. {@code ê_k ← ê_k (c_k / ê_k)^(1−γ)}.
   *
   * <p>The rate is a scale, and mini-batch noise moves its candidates by factors: a candidate
   * is as likely to be {@code ρ ê} as {@code ê / ρ} when the fit is pure noise. The linear
   * {@link #RATE_EMA} turns those into {@code ×(γ + (1 − γ) ρ)} and {@code ×(γ + (1 − γ)/ρ)},
   * whose logarithms do not cancel: with {@code ρ = 2, γ = 0.9}, {@code ×1.10} and
   * {@code ×0.95}, a drift of {@code +2.2%} per probe, 250× over 250 probes, for fits that
   * carry no information. In log space the two factors are {@code ρ^±(1−γ)} and cancel: the
   * log-rate is a martingale under log-symmetric noise. On a noiseless problem the fixed point
   * is unchanged ({@code c_k = ê_k}).
   */
  LOG_RATE_EMA,
  /**
   * The CDAT variant: EMAs {@code ā_k, b̄_k} of the moments with factor {@code β}, and
   * {@code ê_k = b̄_k / ā_k} (then clipped). Starting both EMAs at zero needs no bias
   * correction, since the correction factors cancel in the ratio.
   */
  MOMENT_EMA
}
