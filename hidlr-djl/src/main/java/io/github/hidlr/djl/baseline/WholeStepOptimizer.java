package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Base of the baselines that set their own step size and need the whole step at once: Prodigy
 * and D-Adaptation sum over every parameter before they can update any of them, DoG takes norms
 * over all parameters, Schedule-Free interpolates every weight. Each overrides {@link #applyStep},
 * which {@link NdOptimizer} calls once every trainable parameter of the block ({@code setBlock},
 * required) has handed over its gradient; a non-finite gradient is refused before anything
 * changes, as for every optimizer of hidlr. They hand over no direction: Hi-DLR over one of them
 * differences its update.
 *
 * <p>What they add: a schedule of the learning rate ({@code lr·m(t)} inside the method, as a
 * PyTorch scheduler setting {@code group['lr']}), the effective rate and diagnostics for traces
 * ({@link EffectiveRate}), and typed global scalars ({@code S}, saved with the slots). Not
 * thread-safe.
 *
 * @param <S> the record of the method's global scalars
 */
public abstract class WholeStepOptimizer<S extends Record> extends NdOptimizer
    implements EffectiveRate {

  private final LearningRateSchedule schedule;

  /**
   * Creates the common part from a builder that {@code build()} has validated.
   *
   * @param builder the validated builder
   * @param slotNames the per-parameter state arrays, in the order they are saved
   */
  protected WholeStepOptimizer(Builder<?, ?> builder, List<String> slotNames) {
    super(builder, slotNames);
    this.schedule = builder.schedule;
  }

  /**
   * Returns the learning-rate schedule applied to {@link #learningRate()}.
   *
   * @return the schedule; constant unless {@code optSchedule} was given
   */
  public final LearningRateSchedule schedule() {
    return schedule;
  }

  /**
   * Returns the learning rate of the step being taken: {@code lr · m(t)} with {@code t = }{@link
   * #stepIndex()}.
   *
   * @return the scheduled rate
   */
  protected final double scheduledLearningRate() {
    return learningRate() * schedule.multiplier(stepIndex());
  }

  /** {@inheritDoc} */
  @Override
  protected abstract void applyStep(List<ParameterStep> parameters);

  /** {@inheritDoc} */
  @Override
  protected abstract S globalState();

  /** {@inheritDoc} */
  @Override
  @SuppressWarnings("unchecked")
  protected final void restoreGlobalState(Record scalars) {
    restore((S) scalars);
  }

  /**
   * Installs global scalars read by {@link #loadState}.
   *
   * @param scalars the scalars
   */
  protected abstract void restore(S scalars);

  /**
   * Returns false: the weights move only once the whole step was seen.
   *
   * @return false
   */
  @Override
  public final boolean handsOverDirections() {
    return false;
  }

  /**
   * Not used: {@link #applyStep} moves the weights.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  protected final NDArray direction(String parameterId, NDArray weight, NDArray grad, long step) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no direction");
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, Double> diagnostics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("effectiveLearningRate", effectiveLearningRate());
    out.putAll(globalValues());
    return Collections.unmodifiableMap(out);
  }

  /**
   * Describes the options of this class, for subclasses' {@code toString()}.
   *
   * @return e.g. {@code "learningRate=1.0, rescaleGrad=1.0, clipGrad=off, beginNumUpdate=0,
   *     schedule=LearningRateSchedule[...]"}
   */
  protected final String wholeStepConfig() {
    return commonConfig() + ", schedule=" + schedule;
  }

  /**
   * The options the baselines share: the model's block (required), the learning rate (each method
   * sets its reference default), a schedule for it, and DJL's common options.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B, O>, O extends WholeStepOptimizer<?>>
      extends NdOptimizer.Builder<B, O> {

    private LearningRateSchedule schedule = LearningRateSchedule.constant();

    /**
     * Creates a builder whose learning rate is the method's reference default.
     *
     * @param constructor makes the optimizer from this builder once it is validated
     * @param defaultLearningRate the method's default {@code lr}
     */
    protected Builder(Function<B, O> constructor, float defaultLearningRate) {
      super(constructor);
      setLearningRate(defaultLearningRate);
    }

    /**
     * Schedules the learning rate: step {@code t} uses {@code lr·m(t)} inside the method (as a
     * PyTorch scheduler setting {@code group['lr']}). Defaults to constant.
     *
     * @param schedule the schedule
     * @return this builder
     */
    public B optSchedule(LearningRateSchedule schedule) {
      this.schedule = schedule;
      return self();
    }

    /** {@inheritDoc} */
    @Override
    protected void validate() {
      super.validate();
      check(
          hasBlock(),
          "the block is required: call setBlock(model.getBlock()) so the optimizer knows"
              + " which parameters make up a step");
      check(schedule != null, "schedule is null; pass LearningRateSchedule.constant() for none");
    }

    /**
     * Checks that a value is finite and {@code > 0}.
     *
     * @param name the option's name
     * @param value the value
     * @param fix how to call the option correctly
     */
    protected static void checkPositive(String name, double value, String fix) {
      check(
          Double.isFinite(value) && value > 0,
          name + " must be finite and > 0, got " + value + "; " + fix);
    }

    /**
     * Checks a growth rate: {@code ≥ 1}, infinity allowed.
     *
     * @param value the value
     */
    protected static void checkGrowthRate(double value) {
      check(
          value >= 1,
          "growthRate must be >= 1 (Double.POSITIVE_INFINITY for unbounded), got " + value
              + "; pass e.g. optGrowthRate(1.02)");
    }
  }
}
