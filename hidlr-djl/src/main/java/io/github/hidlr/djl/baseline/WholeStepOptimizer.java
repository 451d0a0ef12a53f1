package io.github.hidlr.djl.baseline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.github.hidlr.djl.NonFiniteUpdateException;
import io.github.hidlr.djl.StepAssembly;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Base of the baselines that need the whole step at once: Prodigy and D-Adaptation sum over every
 * parameter before they can update any of them, DoG takes norms over all parameters, and all of
 * them must refuse a step with a NaN gradient before touching anything.
 *
 * <p>DJL calls {@link #update} once per parameter and step, and never says when a step ends. This
 * class therefore knows the model's {@link Block} ({@code setBlock}, required): at the first call
 * of a step it takes the parameters of the block that require a gradient as the step's parameters,
 * buffers each parameter's (rescaled, clipped) gradient and a reference to its weight as DJL hands
 * them over, and once the last of them arrived calls {@link #applyStep} with all of them, which
 * updates every weight in place. Until then the weights are untouched; {@link NdOptimizer}
 * applies no {@code w ← w − η·d} of its own ({@link #direction} returns none). A
 * Hi-DLR optimizer over such an optimizer still sees the whole update, since it differences the
 * weights only once the step's last parameter was updated.
 *
 * <p>Failures are loud and leave nothing half done:
 *
 * <ul>
 *   <li>a gradient with a NaN or an infinity is rejected with a {@link NonFiniteUpdateException}
 *       (hidlr's one exception for a non-finite update) that names the parameter, before any
 *       weight or state of the step changed; every gradient of the block is cleared so the
 *       next backward starts from zero;
 *   <li>a parameter that requires a gradient but is not updated (e.g. unused in the forward pass)
 *       makes the next step fail with an {@link IllegalStateException} naming it, and the
 *       unfinished step is dropped;
 *   <li>parameters replicated on several devices are refused (one device only).
 * </ul>
 *
 * <p>Besides the per-parameter slots of {@link NdOptimizer}, a method keeps global scalars
 * (Prodigy's {@code d}, DoG's {@code r̄} and {@code G}, ...): {@link #saveState} writes them before the slots,
 * and {@link #loadState} installs them only if the whole stream is valid. Not thread-safe.
 */
public abstract class WholeStepOptimizer<S extends Record> extends NdOptimizer
    implements EffectiveRate {

  /** "HDLB": marks the global part of a stream written by {@link #saveState}. */
  private static final int GLOBAL_MAGIC = 0x48444C42;

  /** Version of the global part of the {@link #saveState} format. */
  public static final int GLOBAL_STATE_VERSION = 1;

  /** Name of the step counter in {@link #diagnostics()} and in saved state. */
  public static final String STEP_INDEX = "stepIndex";

  private final Block block;
  private final LearningRateSchedule schedule;
  private final Map<String, ParameterStep> pending = new LinkedHashMap<>();
  private final StepAssembly assembly;
  private Device device;
  private long stepIndex;

  /**
   * Creates the common part from a builder that {@code build()} has validated.
   *
   * @param builder the validated builder
   * @param slotNames the per-parameter state arrays, in the order they are saved
   */
  protected WholeStepOptimizer(Builder<?> builder, List<String> slotNames) {
    super(builder, slotNames);
    this.block = builder.block;
    this.assembly = new StepAssembly(block, methodName(), "Build " + methodName()
        + " with setBlock(model.getBlock()) of the model it trains");
    this.schedule = builder.schedule;
  }

  /** The gradient and weight of one parameter in the step being assembled. */
  protected static final class ParameterStep {
    private final String id;
    private final String name;
    private final NDArray weight;
    private final NDArray gradient;

    ParameterStep(String id, String name, NDArray weight, NDArray gradient) {
      this.id = id;
      this.name = name;
      this.weight = weight;
      this.gradient = gradient;
    }

    /**
     * Returns the parameter id DJL passed to {@code update} (changes from run to run).
     *
     * @return the id
     */
    public String id() {
      return id;
    }

    /**
     * Returns the parameter's full name in the block, e.g. {@code 01Linear_weight}.
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Returns the live weight; {@link #applyStep} updates it in place.
     *
     * @return the weight
     */
    public NDArray weight() {
      return weight;
    }

    /**
     * Returns the rescaled and clipped gradient, a copy owned by the step that {@link #applyStep}
     * may modify in place.
     *
     * @return the gradient
     */
    public NDArray gradient() {
      return gradient;
    }
  }

  /**
   * Returns the block whose parameters this optimizer trains.
   *
   * @return the block given to {@code setBlock}
   */
  public final Block block() {
    return block;
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
   * Returns how many whole steps were taken: the 0-based index of the next step. Counts every step,
   * including those a method skips (Prodigy without any gradient).
   *
   * @return the step index
   */
  public final long stepIndex() {
    return stepIndex;
  }

  /**
   * Returns the learning rate of the step being taken: {@code lr · m(t)} with {@code t = }{@link
   * #stepIndex()}.
   *
   * @return the scheduled rate
   */
  protected final double scheduledLearningRate() {
    return learningRate() * schedule.multiplier(stepIndex);
  }

  /**
   * Updates every weight of one whole step, in place. Runs with grad mode off, inside an {@link
   * NDScope} (temporaries need no closing); state arrays come from {@link #state}.
   *
   * @param parameters the step's parameters, in the order DJL updated them; never empty
   */
  protected abstract void applyStep(List<ParameterStep> parameters);

  /**
   * Called at the first {@code update} of each step, before anything changes; throws if the
   * optimizer cannot step now (weights swapped out for evaluation), and the block's gradients are
   * then cleared. Does nothing by default.
   *
   * @throws IllegalStateException if a step is not allowed now
   */
  protected void checkCanStep() {}

  /**
   * Returns the global scalars of the method, without {@link #STEP_INDEX}: what
   * {@link #saveState} writes and {@link #diagnostics()} shows, as a record whose components are
   * the names ({@code double}, {@code long} or {@code boolean}; see {@link ScalarState}).
   *
   * @return the scalars now
   */
  protected abstract S globalState();

  /**
   * Installs global scalars read by {@link #loadState}.
   *
   * @param scalars the scalars
   */
  protected abstract void restoreGlobalState(S scalars);

  /**
   * Returns a short name of the method for messages, e.g. {@code "Prodigy"}.
   *
   * @return the name
   */
  protected String methodName() {
    return getClass().getSimpleName();
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, Double> diagnostics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("effectiveLearningRate", effectiveLearningRate());
    out.put(STEP_INDEX, (double) stepIndex);
    out.putAll(ScalarState.toMap(globalState()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Buffers this parameter's part of the step and, when it is the last one, applies the whole step.
   * Returns no direction: the weights are updated by {@link #applyStep} (before, a zero direction
   * was multiplied by η and subtracted from every weight, every step).
   *
   * @param parameterId the parameter id
   * @param weight the parameter
   * @param grad the rescaled and clipped gradient
   * @param step the per-parameter step counter of {@link NdOptimizer} (not used)
   * @return {@code null}: nothing for {@link NdOptimizer} to apply
   */
  @Override
  protected final NDArray direction(String parameterId, NDArray weight, NDArray grad, long step) {
    if (!assembly.inProgress()) {
      try {
        checkCanStep();
      } catch (IllegalStateException e) {
        abandon();
        throw e;
      }
    }
    if (device == null) {
      device = weight.getDevice();
    } else if (!device.equals(weight.getDevice())) {
      abandon();
      throw new UnsupportedOperationException(
          methodName()
              + " updates parameters on one device, but got parameter "
              + parameterId
              + " on "
              + weight.getDevice()
              + " after "
              + device
              + "; train on a single device");
    }
    String name;
    try {
      name = assembly.add(parameterId);
    } catch (IllegalStateException e) {
      abandon();
      throw e;
    }
    boolean finite;
    try (NDArray bad = grad.isNaN().logicalOr(grad.isInfinite()).any()) {
      finite = !bad.getBoolean();
    }
    if (!finite) {
      abandon();
      throw new NonFiniteUpdateException(
          "the gradient of parameter \""
              + name
              + "\" holds NaN or infinite values: "
              + methodName()
              + " rejected step "
              + stepIndex
              + " before changing any weight or state, and cleared every gradient. Check the"
              + " data and the loss for NaN or infinite values, lower the learning rate, or clip"
              + " gradients (optClipGrad)");
    }
    NDArray copy = grad.duplicate();
    NDScope.unregister(copy);
    copy.detach();
    pending.put(parameterId, new ParameterStep(parameterId, name, weight, copy));
    if (assembly.complete()) {
      List<ParameterStep> parameters = new ArrayList<>(pending.values());
      try {
        applyStep(parameters);
        stepIndex++;
      } finally {
        closePending();
      }
    }
    return null;
  }

  /** Drops the step being assembled and clears the block's gradients. */
  private void abandon() {
    closePending();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (parameter.isInitialized() && parameter.getArray().hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) parameter.getArray());
      }
    }
  }

  private void closePending() {
    for (ParameterStep p : pending.values()) {
      p.gradient.close();
    }
    pending.clear();
    assembly.reset();
  }

  private void requireNoPendingStep(String action) {
    if (!pending.isEmpty()) {
      throw new IllegalStateException(
          "cannot "
              + action
              + " while "
              + methodName()
              + " is in the middle of step "
              + stepIndex
              + " ("
              + assembly.progress()
              + " parameters updated); call it between trainer.step() calls");
    }
  }

  /**
   * Throws unless no step is being assembled; for subclasses that swap weights.
   *
   * @param action what the caller is about to do, for the message
   * @throws IllegalStateException in the middle of a step
   */
  protected final void checkBetweenSteps(String action) {
    requireNoPendingStep(action);
  }

  /**
   * Writes the global scalars (magic {@code "HDLB"}, version, class name, then name/value pairs
   * starting with {@link #STEP_INDEX}), then the per-parameter state as {@link
   * NdOptimizer#saveState} does.
   *
   * @param block the block whose parameters this optimizer trains
   * @param out the stream to write to; flushed, not closed
   * @throws IOException if writing fails
   * @throws IllegalStateException in the middle of a step
   */
  @Override
  public void saveState(Block block, DataOutputStream out) throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(out, "out");
    requireNoPendingStep("save the state");
    Map<String, Double> globals = globals();
    out.writeInt(GLOBAL_MAGIC);
    out.writeInt(GLOBAL_STATE_VERSION);
    out.writeUTF(getClass().getName());
    out.writeInt(globals.size());
    for (Map.Entry<String, Double> e : globals.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeDouble(e.getValue());
    }
    super.saveState(block, out);
  }

  /**
   * Reads state written by {@link #saveState}: the global scalars, then the per-parameter state
   * (see {@link NdOptimizer#loadState}). Nothing is installed unless the whole stream is valid.
   *
   * @param block the block, initialized, with the same parameter names and shapes as when saved
   * @param manager the manager to decode arrays with
   * @param in the stream to read from; not closed
   * @throws IllegalArgumentException if the stream is not this optimizer's state or is corrupt
   * @throws IllegalStateException in the middle of a step
   * @throws IOException if reading fails
   */
  @Override
  public void loadState(Block block, NDManager manager, DataInputStream in) throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(in, "in");
    requireNoPendingStep("load a state");
    Map<String, Double> values = new LinkedHashMap<>();
    try {
      int magic = in.readInt();
      if (magic != GLOBAL_MAGIC) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "not the state of a %s: magic 0x%08X, expected 0x%08X (\"HDLB\"); pass a stream"
                    + " written by its saveState",
                methodName(),
                magic,
                GLOBAL_MAGIC));
      }
      int version = in.readInt();
      if (version != GLOBAL_STATE_VERSION) {
        throw new IllegalArgumentException(
            "global optimizer state version "
                + version
                + " is not supported; this build reads version "
                + GLOBAL_STATE_VERSION);
      }
      String type = in.readUTF();
      if (!type.equals(getClass().getName())) {
        throw new IllegalArgumentException(
            "optimizer state was saved by "
                + type
                + ", cannot load it into "
                + getClass().getName()
                + "; load it into the same optimizer type");
      }
      int count = in.readInt();
      if (count < 0 || count > 1024) {
        throw new IllegalArgumentException(
            "optimizer state gives " + count + " global values; the stream is corrupt");
      }
      for (int i = 0; i < count; i++) {
        values.put(in.readUTF(), in.readDouble());
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "optimizer state stream ends early: it is truncated or not written by "
              + methodName()
              + ".saveState",
          e);
    }
    if (!values.keySet().equals(globals().keySet())) {
      throw new IllegalArgumentException(
          "optimizer state holds global values "
              + values.keySet()
              + " but "
              + methodName()
              + " keeps "
              + globals().keySet()
              + "; load a state saved by the same version of "
              + methodName());
    }
    double index = values.get(STEP_INDEX);
    if (!(index >= 0) || index != Math.rint(index)) {
      throw new IllegalArgumentException(
          "optimizer state gives step index " + index + "; the stream is corrupt");
    }
    Map<String, Double> rest = new LinkedHashMap<>(values);
    rest.remove(STEP_INDEX);
    // Decoded (and checked) before anything is installed.
    @SuppressWarnings("unchecked")
    Class<S> type = (Class<S>) globalState().getClass();
    S scalars = ScalarState.fromMap(type, rest);
    super.loadState(block, manager, in);
    stepIndex = (long) index;
    restoreGlobalState(scalars);
  }

  private Map<String, Double> globals() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(STEP_INDEX, (double) stepIndex);
    out.putAll(ScalarState.toMap(globalState()));
    return out;
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
  public abstract static class Builder<B extends Builder<B>> extends NdOptimizer.Builder<B> {

    private Block block;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();

    /**
     * Creates a builder whose learning rate is the method's reference default.
     *
     * @param defaultLearningRate the method's default {@code lr}
     */
    protected Builder(float defaultLearningRate) {
      setLearningRate(defaultLearningRate);
    }

    /**
     * Sets the block whose parameters this optimizer trains (required): the optimizer needs the
     * set of trainable parameters to know when a step is complete.
     *
     * @param block the model's block ({@code model.getBlock()}); may be uninitialized yet
     * @return this builder
     */
    public B setBlock(Block block) {
      this.block = block;
      return self();
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
          block != null,
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
          "growthRate must be >= 1 (Double.POSITIVE_INFINITY for unbounded), got "
              + value
              + "; pass e.g. optGrowthRate(1.02)");
    }
  }
}
