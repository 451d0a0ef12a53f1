package io.github.hidlr.djl.train;

/**
 * Receives what {@link HiDlrFit} does: every step with its per-group rates, and on probing
 * steps the fit of every group ({@code a}, {@code b}, candidate, accepted or why not, influence)
 * through {@code event.outcome().report()}.
 */
public interface HiDlrListener {

  /**
   * After each training step.
   *
   * @param event the step
   */
  default void onStep(StepEvent event) {}

  /**
   * After each epoch, once validation ran.
   *
   * @param summary the epoch
   */
  default void onEpoch(EpochSummary summary) {}
}
