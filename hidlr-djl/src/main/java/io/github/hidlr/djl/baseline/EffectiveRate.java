package io.github.hidlr.djl.baseline;

import java.util.Map;

/**
 * An optimizer that chooses its own step size and reports it, so that listeners and per-step
 * traces can plot the learning rate a learning-rate-free method actually used next to the rates
 * Hi-DLR chose.
 *
 * <p>What "effective learning rate" means is method-specific and documented by each implementation
 * (Prodigy and D-Adaptation: {@code d·lr}, as their reference code logs it; DoG: the step size
 * {@code η_t} of the latest step; Schedule-Free: the scheduled {@code lr} of the next step; a
 * schedule wrapper: {@code η·s(t)}).
 */
public interface EffectiveRate {

  /**
   * Returns the current effective learning rate.
   *
   * @return the rate, or {@code NaN} when the method cannot know it yet (DoG before its first
   *     step)
   */
  double effectiveLearningRate();

  /**
   * Returns the named scalars behind the effective rate (for example Prodigy's {@code d},
   * {@code dMax}, {@code dHat}), in a fixed order, for traces. The first entry is always {@code
   * "effectiveLearningRate"}.
   *
   * @return an ordered, unmodifiable map from name to value
   */
  Map<String, Double> diagnostics();
}
