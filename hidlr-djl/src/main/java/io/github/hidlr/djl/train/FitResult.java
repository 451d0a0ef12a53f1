package io.github.hidlr.djl.train;

import java.util.List;

/**
 * The outcome of {@link HiDlrFit#fit}.
 *
 * @param epochs per-epoch summaries
 * @param steps total training steps
 * @param frozen parameters frozen by the influence policy, in order, with the step
 * @param meanStepMillisBeforeFreeze mean step time before the first freeze (all steps if none)
 * @param meanStepMillisAfterFreeze mean step time after the first freeze, NaN if none
 */
public record FitResult(
    List<EpochSummary> epochs,
    long steps,
    List<FrozenParameter> frozen,
    double meanStepMillisBeforeFreeze,
    double meanStepMillisAfterFreeze) {

  /** Copies the lists. */
  public FitResult {
    epochs = List.copyOf(epochs);
    frozen = List.copyOf(frozen);
  }

  /**
   * A parameter frozen during training.
   *
   * @param name its full name
   * @param step the step at which it froze
   */
  public record FrozenParameter(String name, long step) {}

  /**
   * The fraction of step time saved by freezing: {@code 1 − after / before}; NaN if nothing
   * froze.
   *
   * @return the saving
   */
  public double freezeTimeSaved() {
    return 1 - meanStepMillisAfterFreeze / meanStepMillisBeforeFreeze;
  }
}
