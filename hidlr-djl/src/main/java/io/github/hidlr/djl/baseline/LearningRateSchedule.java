package io.github.hidlr.djl.baseline;

import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.TunerConfig;
import java.util.Objects;

/**
 * A learning-rate schedule as a multiplier {@code m(t)} of an optimizer's peak rate {@code η}: the
 * rate of step {@code t} (0-based) is {@code η·m(t)}, with an optional linear warm-up followed by
 * constant, linear or cosine decay.
 *
 * <pre>
 *   m(t) = (t + 1) / W                 for t &lt; W                     (warm-up; never 0)
 *   m(t) = s(t − W, T − W)             for t ≥ W, where s is Hi-DLR's {@link Horizon}:
 *            CONSTANT  s = 1
 *            LINEAR    s = 1 − min(1, u/U)
 *            COSINE    s = (1 + cos(π·min(1, u/U))) / 2
 * </pre>
 *
 * <p>{@code T} counts every step, warm-up included; the decay reaches 0 at {@code t = T} and stays
 * there. Without warm-up, {@code m(t)} is exactly {@link Horizon#scale(long, long) Horizon.scale(t,
 * T)}, the horizon scale {@code s(t)} of ALGORITHM.md §4, with the same 0-based step: {@link
 * #applyTo(TunerConfig.Builder)} gives Hi-DLR the schedule a baseline runs with, and {@link
 * #of(TunerConfig)} gives a baseline Hi-DLR's. The warm-up is that of Schedule-Free's reference
 * code ({@code (k+1)/warmup_steps}), which never takes a step at rate 0.
 *
 * <p>Use it with the baselines of this package through their builders' {@code optSchedule},
 * which schedule the {@code lr} inside the method, as a PyTorch scheduler sets
 * {@code group['lr']}. The optimizers of {@code io.github.hidlr.djl.optim} take a schedule
 * without warm-up as fixed rates of {@code HiDlr}'s optimizer: {@code tuner(() ->
 * schedule.applyTo(TunerConfig.fixed()))}.
 *
 * @param decay the shape after warm-up
 * @param totalSteps {@code T}: steps until the decay reaches 0, warm-up included; 0 for {@link
 *     Horizon#CONSTANT}
 * @param warmupSteps {@code W ≥ 0}: warm-up steps; 0 for none
 */
public record LearningRateSchedule(Horizon decay, long totalSteps, long warmupSteps) {

  /**
   * Checks the arguments.
   *
   * @throws IllegalArgumentException naming the bad value and the fix
   */
  public LearningRateSchedule {
    Objects.requireNonNull(decay, "decay");
    if (warmupSteps < 0) {
      throw new IllegalArgumentException(
          "warmupSteps must be >= 0, got " + warmupSteps + "; use 0 for no warm-up");
    }
    if (decay == Horizon.CONSTANT) {
      if (totalSteps != 0) {
        throw new IllegalArgumentException("a CONSTANT schedule has no horizon, got totalSteps "
            + totalSteps + "; pass 0 or use LearningRateSchedule.constant()");
      }
    } else if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException(decay
          + " decay needs totalSteps T > warmupSteps W (T counts the warm-up), got T = "
          + totalSteps + ", W = " + warmupSteps);
    }
  }

  /**
   * The constant schedule {@code m(t) = 1}.
   *
   * @return the schedule
   */
  public static LearningRateSchedule constant() {
    return new LearningRateSchedule(Horizon.CONSTANT, 0, 0);
  }

  /**
   * Linear decay to 0 over {@code T} steps: {@code m(t) = 1 − t/T}.
   *
   * @param totalSteps {@code T ≥ 1}
   * @return the schedule
   */
  public static LearningRateSchedule linear(long totalSteps) {
    return new LearningRateSchedule(Horizon.LINEAR, totalSteps, 0);
  }

  /**
   * Cosine decay to 0 over {@code T} steps: {@code m(t) = (1 + cos(π t/T)) / 2}.
   *
   * @param totalSteps {@code T ≥ 1}
   * @return the schedule
   */
  public static LearningRateSchedule cosine(long totalSteps) {
    return new LearningRateSchedule(Horizon.COSINE, totalSteps, 0);
  }

  /**
   * The schedule of Hi-DLR's horizon: same shape, same {@code T}, no warm-up.
   *
   * @param config a tuner configuration
   * @return the schedule with {@code m(t) = config.horizon().scale(t, config.horizonSteps())}
   */
  public static LearningRateSchedule of(TunerConfig config) {
    Objects.requireNonNull(config, "config");
    return new LearningRateSchedule(config.horizon(), config.horizonSteps(), 0);
  }

  /**
   * Returns this schedule with a linear warm-up over its first {@code W} steps.
   *
   * @param steps {@code W ≥ 0}; for a decaying schedule, {@code W < T}
   * @return a new schedule
   */
  public LearningRateSchedule withWarmup(long steps) {
    return new LearningRateSchedule(decay, totalSteps, steps);
  }

  /**
   * Returns the multiplier {@code m(t)} of step {@code t}.
   *
   * @param step {@code t ≥ 0}, 0-based
   * @return {@code m(t)} in {@code [0, 1]}
   */
  public double multiplier(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    if (step < warmupSteps) {
      return (step + 1.0) / warmupSteps;
    }
    return decay.scale(step - warmupSteps, totalSteps - warmupSteps);
  }

  /**
   * Returns the rate {@code η·m(t)} of step {@code t}.
   *
   * @param peak the peak rate {@code η}
   * @param step {@code t ≥ 0}
   * @return {@code η·m(t)}
   */
  public double rate(double peak, long step) {
    return peak * multiplier(step);
  }

  /**
   * Sets Hi-DLR's horizon to this schedule: {@code optHorizon(decay, T)}.
   *
   * @param builder a tuner configuration builder
   * @return {@code builder}
   * @throws IllegalStateException if this schedule has a warm-up, which Hi-DLR's horizon lacks
   *     (Hi-DLR starts from its own small {@code η0} and grows it by probing)
   */
  public TunerConfig.Builder applyTo(TunerConfig.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    if (warmupSteps > 0) {
      throw new IllegalStateException(
          "Hi-DLR's horizon has no warm-up but this schedule warms up over " + warmupSteps
              + " steps; pass a schedule without warm-up (Hi-DLR grows its rates from η0 itself)");
    }
    return builder.optHorizon(decay, totalSteps);
  }
}
