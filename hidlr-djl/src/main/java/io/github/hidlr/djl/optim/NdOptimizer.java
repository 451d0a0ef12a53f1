package io.github.hidlr.djl.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.hidlr.djl.NonFiniteUpdateException;
import io.github.hidlr.djl.StepAssembly;
import io.github.hidlr.djl.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one base of hidlr's optimizers (those of this package and the baselines of {@code
 * baseline}): an {@link Optimizer} for DJL's PyTorch engine written with {@link NDArray}
 * operations, with one state format and one policy for non-finite gradients.
 *
 * <p>Every step is
 *
 * <pre>
 *   g  = clip(rescaleGrad · ∇w)       (to [−c, c], only when optClipGrad(c) was given)
 *   d  = direction(g, w, state, t)     (subclass; never sees the learning rate)
 *   w ← w − η · d
 * </pre>
 *
 * <p>with a fixed learning rate {@code η} ({@link #learningRate()}). Subclasses only compute the
 * direction {@code d}; the learning rate is applied here and nowhere else, so no buffer holds
 * {@code η}, the state evolves independently of {@code η}, and {@code Δ(c·η) = c·Δ(η)}. Hi-DLR
 * relies on this: it runs the optimizer once per step, takes its direction {@code d}
 * ({@link #captureDirection}) and moves each parameter group by its own rate along it. Methods
 * that need every parameter before they can move any (Prodigy, D-Adaptation, DoG,
 * Schedule-Free) override {@link #applyStep} instead ({@code WholeStepOptimizer}).
 *
 * <p><b>Steps.</b> DJL calls {@link #update} once per parameter and never says when a step ends.
 * Given the model's block ({@code setBlock}; required by the whole-step methods), the optimizer
 * assembles each step ({@link io.github.hidlr.djl.StepAssembly}): it keeps every parameter's
 * rescaled, clipped gradient as DJL hands it over and, once the last trainable parameter
 * arrived, runs {@link #applyStep} on all of them. Without a block, each parameter is stepped as
 * it arrives.
 *
 * <p><b>Non-finite gradients</b> are refused with a {@link NonFiniteUpdateException}, checked
 * before clipping and before any weight or state changes: of the whole step when the block is
 * known (the message names the parameter; every gradient of the block is then cleared), of that
 * parameter otherwise (the message gives DJL's id).
 *
 * <p><b>State.</b> Per-parameter state (slots such as Adam's {@code exp_avg}) is kept per
 * parameter id and device, replaced out of place by the per-parameter rules ({@link #nextState}:
 * under Hi-DLR the new state counts only once the whole step succeeded, {@link #commitStep}) and
 * updated in place by the whole-step methods ({@link #state}), with a per-parameter step
 * counter {@code t} (the one Adam's bias correction needs; it starts at
 * {@code optBeginNumUpdate + 1}); global scalars are a record ({@link #globalState}).
 * {@link #saveState} and {@link #loadState} write and read both in one format, keyed by the
 * parameters' full names in a block, because {@link Parameter#getId()} changes from run to run.
 */
public abstract class NdOptimizer extends Optimizer {

  /** Version of the {@link #saveState} format; bump it when the layout changes. */
  public static final int STATE_VERSION = 2;

  /** Name of the whole-step counter in saved state and diagnostics. */
  public static final String STEP_INDEX = "stepIndex";

  /** The global state of a method without global scalars. */
  protected record NoScalars() {}

  private final float learningRate;
  private final int beginNumUpdate;
  private final float clipGradient;
  private final List<String> slotNames;
  private final Map<String, Map<String, Map<Device, NDArray>>> slots;
  private final Map<String, Map<Device, Long>> steps = new ConcurrentHashMap<>();
  private final Block block;
  private final StepAssembly assembly;
  private final Map<String, ParameterStep> pending = new LinkedHashMap<>();
  private Device device;
  private long stepIndex;
  /** Whether {@link #captureDirection} is running: new state is then staged, not installed. */
  private boolean staging;
  /** State computed by {@link #captureDirection} this step, installed by {@link #commitStep}. */
  private final List<StagedArray> staged = new ArrayList<>();
  /** The step counters of those parameters, installed with it. */
  private final List<StagedStep> stagedSteps = new ArrayList<>();

  /**
   * Creates the common part of an optimizer from a builder that {@code build()} has validated.
   *
   * @param builder the validated builder
   * @param slotNames the names of the per-parameter state arrays this optimizer keeps, in the order
   *     they are saved
   */
  protected NdOptimizer(Builder<?, ?> builder, List<String> slotNames) {
    super(builder);
    this.learningRate = builder.learningRate;
    this.beginNumUpdate = builder.beginNumUpdate;
    this.clipGradient = builder.clipGradient;
    this.slotNames = List.copyOf(slotNames);
    Map<String, Map<String, Map<Device, NDArray>>> map = new LinkedHashMap<>();
    for (String slot : this.slotNames) {
      map.put(slot, new ConcurrentHashMap<>());
    }
    this.slots = Map.copyOf(map);
    this.block = builder.block;
    this.assembly = block == null ? null : new StepAssembly(block, getClass().getSimpleName(),
        "Build " + getClass().getSimpleName() + " with setBlock(model.getBlock()) of the model"
            + " it trains");
  }

  /**
   * Returns the fixed learning rate {@code η} this optimizer multiplies every direction by.
   *
   * @return the learning rate, finite and {@code > 0}
   */
  public final float learningRate() {
    return learningRate;
  }

  /**
   * Returns the names of the per-parameter state arrays (slots) this optimizer keeps.
   *
   * @return the slot names, in the order {@link #saveState} writes them
   */
  public final List<String> slotNames() {
    return slotNames;
  }

  /**
   * Computes the step direction {@code d} of one parameter; the caller applies {@code w ← w − η·d}.
   *
   * <p>Runs with grad mode off inside an {@link NDScope}: temporaries need not be closed. State
   * is computed out of place with {@link #nextState}. The returned array may be a state array
   * itself (not a view or reshape of one: {@link #captureDirection} tells a state array from a
   * temporary by identity, and scales and closes a temporary); it is only read.
   *
   * @param parameterId the id of the parameter (changes from run to run)
   * @param weight the parameter, not to be modified here
   * @param grad the rescaled and clipped gradient, a temporary this method may modify in place
   * @param step the 1-based step number {@code t} of this parameter
   * @return the direction {@code d}, with the shape of {@code weight}
   */
  protected abstract NDArray direction(String parameterId, NDArray weight, NDArray grad, long step);

  /**
   * Moves the weights of one whole step, in place: by default {@code w ← w − η·d} for each
   * parameter in turn, with {@code d} from {@link #direction}. Methods that need every parameter
   * before moving any override it, and {@link #handsOverDirections()} with it (so that Hi-DLR
   * differences them). Runs with grad mode off, inside an {@link NDScope}; state arrays come
   * from {@link #state}. A rule that throws part-way cannot take back what it moved: the step
   * is then dropped and the gradients cleared.
   *
   * @param parameters the step's parameters, in the order DJL updated them; never empty
   */
  protected void applyStep(List<ParameterStep> parameters) {
    for (ParameterStep p : parameters) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        moveAlongDirection(p.id(), p.weight(), p.gradient());
      }
    }
  }

  /**
   * Whether this optimizer hands over a direction {@code d} per parameter
   * ({@link #captureDirection}); false for the methods that move the weights only once the whole
   * step was seen, which Hi-DLR differences instead.
   *
   * @return true unless {@link #applyStep} is overridden by a whole-step method
   */
  public boolean handsOverDirections() {
    return true;
  }

  /** {@inheritDoc} */
  @Override
  public final void update(String parameterId, NDArray weight, NDArray grad) {
    requirePyTorch(parameterId, weight);
    // step() usually runs inside a GradientCollector, where grad mode is on and an in-place
    // op on a leaf that requires grad throws; grad mode is thread-local, so restore it.
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      if (assembly == null) {
        NDArray scaled = grad.mul(rescaleGrad);
        if (Tensors.firstNonFinite(List.of(scaled)) >= 0) {
          zeroGrad(weight);
          throw nonFinite("id " + parameterId + " (give the optimizer its block, setBlock, to"
              + " see its name and refuse the whole step)", "this parameter's weight and state");
        }
        moveAlongDirection(parameterId, weight, clipped(scaled));
      } else {
        assemble(parameterId, weight, grad);
      }
      // DJL hands update() a duplicate of the gradient; the real .grad must be zeroed here
      // or it accumulates over steps (DJL's own optimizers do the same natively).
      zeroGrad(weight);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Keeps one parameter's part of the step; at the step's last parameter, applies it. */
  private void assemble(String parameterId, NDArray weight, NDArray grad) {
    List<ParameterStep> step;
    try {
      if (!assembly.inProgress()) {
        checkCanStep();
      }
      if (device == null) {
        device = weight.getDevice();
      } else if (!device.equals(weight.getDevice())) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " updates"
            + " parameters on one device, but got parameter " + parameterId + " on "
            + weight.getDevice() + " after " + device + "; train on a single device");
      }
      String name = assembly.add(parameterId);
      // Held unclipped past this call's scope until the step's last parameter, where the whole
      // step is checked in one read-back (before clipping, which would turn an infinity into
      // ±c) and then clipped.
      NDArray g = grad.mul(rescaleGrad);
      NDScope.unregister(g);
      g.detach();
      pending.put(parameterId, new ParameterStep(parameterId, name, weight, g));
      if (!assembly.complete()) {
        return;
      }
      List<ParameterStep> held = new ArrayList<>(pending.values());
      int bad = Tensors.firstNonFinite(held.stream().map(ParameterStep::gradient).toList());
      if (bad >= 0) {
        throw nonFinite("\"" + held.get(bad).name() + "\"",
            "any weight or state, and cleared every gradient");
      }
      step = new ArrayList<>(held.size());
      for (ParameterStep p : held) {
        // Clipped copies live in update()'s scope, until applyStep returns.
        step.add(clipGradient > 0f
            ? new ParameterStep(p.id(), p.name(), p.weight(), clipped(p.gradient())) : p);
      }
    } catch (RuntimeException | Error e) {
      abandon();
      throw e;
    }
    try {
      applyStep(step);
      stepIndex++;
    } catch (RuntimeException | Error e) {
      // A rule that fails part-way (e.g. out of memory) cannot take back the parameters it
      // already moved; the step is dropped and every gradient cleared.
      abandon();
      throw e;
    } finally {
      closePending();
    }
  }

  /**
   * Drops the step: the state {@link #captureDirection} computed and not yet committed, and the
   * step being assembled, if any, whose gradients are cleared. For a caller whose own step
   * failed part-way (Hi-DLR's optimizer over this one), so that the state is as before the step
   * and the next step starts clean instead of failing as unfinished.
   */
  public final void abandonStep() {
    staged.forEach(s -> s.array().close());
    staged.clear();
    stagedSteps.clear();
    if (assembly != null && assembly.inProgress()) {
      abandon();
    }
  }

  /**
   * One parameter's step direction {@code d}, handed over instead of applied: the same state
   * changes and per-parameter step count as {@link #update} (the whole-step {@link #stepIndex()}
   * is not advanced: the caller assembles the step), but the weight is left alone, and the new
   * state is installed only by {@link #commitStep} (dropped by {@link #abandonStep}). For
   * Hi-DLR's {@code HiDlrOptimizer}, which moves each parameter group by its own rate,
   * {@code w ← w − η_k·d} (ALGORITHM.md §6), so that a step at {@code η_k = η} is
   * {@link #update}'s to the bit. The caller has checked that the gradient is finite.
   *
   * <p>The direction outlives this call: it is either a temporary the caller owns ({@link
   * Direction#owned()}, to be closed) or one of this optimizer's new state arrays (e.g. SGD's
   * momentum buffer), only to be read, and valid until the step is abandoned or, once
   * committed, until this parameter's next update.
   *
   * @param parameterId the parameter's id
   * @param weight the parameter, not modified
   * @param grad the gradient (DJL's duplicate), not modified
   * @return the direction
   * @throws UnsupportedOperationException for a whole-step method
   *     ({@link #handsOverDirections()} false)
   */
  public final Direction captureDirection(String parameterId, NDArray weight, NDArray grad) {
    if (!handsOverDirections()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " moves the"
          + " weights only once the whole step was seen and hands over no direction; difference"
          + " its update instead (HiDlr.on(optimizer, rate))");
    }
    requirePyTorch(parameterId, weight);
    Device device = weight.getDevice();
    long step = currentStep(parameterId, device) + 1;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    staging = true;
    int stagedBefore = staged.size();
    Direction out;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray d = direction(parameterId, weight, clipped(grad.mul(rescaleGrad)), step);
      boolean owned = !isState(parameterId, device, d, stagedBefore);
      if (owned) {
        // Kept past this scope: the caller closes it.
        NDScope.unregister(d);
      }
      out = new Direction(d, owned);
    } finally {
      staging = false;
      JniUtils.setGradMode(gradMode);
    }
    stagedSteps.add(new StagedStep(parameterId, device, step));
    return out;
  }

  /**
   * Installs the state {@link #captureDirection} computed this step: for Hi-DLR's optimizer,
   * once its whole step succeeded. Until then the state is as before the step, so a step that
   * fails (a probe that throws, a non-finite direction) is dropped by {@link #abandonStep}
   * without a trace.
   */
  public final void commitStep() {
    try {
      staged.forEach(s -> install(s.slot(), s.parameterId(), s.device(), s.array()));
      stagedSteps.forEach(s -> steps.computeIfAbsent(s.parameterId(),
          k -> new ConcurrentHashMap<>()).put(s.device(), s.step()));
    } finally {
      // Never left half staged: what was installed is live state, not to be dropped later.
      staged.clear();
      stagedSteps.clear();
    }
  }

  /** A state array computed by {@link #captureDirection}, not yet installed. */
  private record StagedArray(String slot, String parameterId, Device device, NDArray array) {}

  /** A parameter's step counter after {@link #captureDirection}, not yet installed. */
  private record StagedStep(String parameterId, Device device, long step) {}

  /** Replaces the state array {@code slot} of a parameter, closing the one it replaces. */
  private void install(String slot, String parameterId, Device device, NDArray array) {
    NDArray old = slotMap(slot).computeIfAbsent(parameterId, k -> new ConcurrentHashMap<>())
        .put(device, array);
    if (old != null && old != array) {
      old.close();
    }
  }

  /**
   * A direction {@code d} handed over by {@link #captureDirection}.
   *
   * @param array {@code d}, with the weight's shape
   * @param owned whether the caller owns it (a temporary to close) or only reads it (state)
   */
  public record Direction(NDArray array, boolean owned) implements AutoCloseable {
    /** Closes the array if the caller owns it. */
    @Override
    public void close() {
      if (owned) {
        array.close();
      }
    }
  }

  /** {@code w ← w − η·d} for one parameter, counting its step. */
  private void moveAlongDirection(String parameterId, NDArray weight, NDArray g) {
    Device device = weight.getDevice();
    long step = currentStep(parameterId, device) + 1;
    NDArray d = direction(parameterId, weight, g, step);
    // The only place η enters: Δ = −η·d, linear in η by construction.
    weight.subi(d.mul(learningRate));
    steps.computeIfAbsent(parameterId, k -> new ConcurrentHashMap<>()).put(device, step);
  }

  /**
   * The clipped gradient. {@code scaled = grad·rescaleGrad} is a new array even when rescaleGrad
   * is 1, so the caller's stays untouched and direction() may reuse it in place.
   */
  private NDArray clipped(NDArray scaled) {
    return clipGradient > 0f ? scaled.maximum(-clipGradient).minimum(clipGradient) : scaled;
  }

  private NonFiniteUpdateException nonFinite(String name, String unchanged) {
    return new NonFiniteUpdateException("the gradient of parameter " + name + " holds NaN"
        + " or infinite values: " + getClass().getSimpleName() + " refused "
        + (assembly == null ? "the update" : "step " + stepIndex) + " before changing "
        + unchanged + ". Check the data and the loss for NaN or infinite values, lower the"
        + " learning rate, or clip gradients (optClipGrad)");
  }

  private static void zeroGrad(NDArray weight) {
    if (weight.hasGradient()) {
      JniUtils.zeroGrad((PtNDArray) weight);
    }
  }

  private void requirePyTorch(String parameterId, NDArray weight) {
    if (!(weight instanceof PtNDArray)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " runs on DJL's PyTorch"
          + " engine only; parameter " + parameterId + " is a " + weight.getClass().getName()
          + ". Use the PyTorch engine (ai.djl.pytorch:pytorch-engine).");
    }
  }

  /** Drops the step being assembled and clears the block's gradients. */
  private void abandon() {
    closePending();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (parameter.isInitialized()) {
        zeroGrad(parameter.getArray());
      }
    }
  }

  private void closePending() {
    for (ParameterStep p : pending.values()) {
      p.gradient().close();
    }
    pending.clear();
    assembly.reset();
  }

  /**
   * Called at the first {@code update} of each assembled step, before anything changes; throws
   * if the optimizer cannot step now (weights swapped out for evaluation), and the block's
   * gradients are then cleared. Does nothing by default.
   *
   * @throws IllegalStateException if a step is not allowed now
   */
  protected void checkCanStep() {}

  /**
   * Throws unless no step is being assembled: saving, loading or swapping weights in the middle
   * of a step would see half of it. DoG also refuses while its averaged weights are swapped in
   * (a save would take them for the training weights).
   *
   * @param action what the caller is about to do, for the message
   * @throws IllegalStateException in the middle of a step, or while weights are swapped out
   */
  protected void checkBetweenSteps(String action) {
    if (!staged.isEmpty() || !stagedSteps.isEmpty()) {
      throw new IllegalStateException("cannot " + action + " while " + getClass().getSimpleName()
          + " holds the state of a Hi-DLR step not yet completed; call it between trainer.step()"
          + " calls");
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("cannot " + action + " while " + getClass().getSimpleName()
          + " is in the middle of step " + stepIndex + " (" + assembly.progress()
          + " parameters updated); call it between trainer.step() calls");
    }
  }

  /**
   * The gradient and weight of one parameter in the step being applied.
   *
   * @param id the parameter id DJL passed to {@code update} (changes from run to run)
   * @param name the parameter's full name in the block, e.g. {@code 01Linear_weight}
   * @param weight the live weight, moved in place by {@link #applyStep}
   * @param gradient the rescaled and clipped gradient, a copy {@link #applyStep} may modify in
   *     place
   */
  protected record ParameterStep(String id, String name, NDArray weight, NDArray gradient) {}

  /**
   * Returns the block whose parameters this optimizer trains.
   *
   * @return the block given to {@code setBlock}, or null when steps are not assembled
   */
  public final Block block() {
    return block;
  }

  /**
   * Returns how many whole steps were taken (when the block is known): the 0-based index of the
   * next step, counting those a method skips (Prodigy without any gradient).
   *
   * @return the step index
   */
  public final long stepIndex() {
    return stepIndex;
  }

  /**
   * Returns the method's global scalars (Prodigy's {@code d}, DoG's {@code r̄} and {@code G},
   * ...), without {@link #STEP_INDEX}: what {@link #saveState} writes, as a record whose
   * components are the names ({@code double}, {@code long} or {@code boolean}).
   *
   * @return the scalars now; {@link NoScalars} by default
   */
  protected Record globalState() {
    return new NoScalars();
  }

  /**
   * Installs global scalars read by {@link #loadState}, of the type {@link #globalState} gives.
   *
   * @param scalars the scalars
   */
  protected void restoreGlobalState(Record scalars) {}

  /**
   * The step index and the global scalars by name, as saved.
   *
   * @return {@link #STEP_INDEX} first, then the components of {@link #globalState}
   */
  protected final Map<String, Double> globalValues() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(STEP_INDEX, (double) stepIndex);
    out.putAll(ScalarState.toMap(globalState()));
    return out;
  }

  /**
   * Whether {@code array} is one of this parameter's state arrays (same object): live, or staged
   * by the {@link #direction} call that began with {@code stagedFrom} staged arrays.
   */
  private boolean isState(String parameterId, Device device, NDArray array, int stagedFrom) {
    for (StagedArray s : staged.subList(stagedFrom, staged.size())) {
      if (s.array() == array) {
        return true;
      }
    }
    for (Map<String, Map<Device, NDArray>> slot : slots.values()) {
      Map<Device, NDArray> perDevice = slot.get(parameterId);
      if (perDevice != null && perDevice.get(device) == array) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the state array {@code slot} of a parameter on the weight's device, creating it with
   * {@code init} on first use, for the whole-step methods ({@link #applyStep}), which change it
   * only once their step was checked. The array outlives the step's {@link NDScope}; update it
   * in place.
   *
   * @param slot one of {@link #slotNames()}
   * @param parameterId the parameter id given to {@link #direction}
   * @param weight the parameter (gives the device)
   * @param init creates the initial value; its result is detached and owned by this optimizer
   * @return the live state array
   */
  protected final NDArray state(
      String slot, String parameterId, NDArray weight, Function<String, NDArray> init) {
    if (staging) {
      throw new IllegalStateException(getClass().getSimpleName() + ".direction() must keep its"
          + " state with nextState(...): state() is changed in place, which a Hi-DLR step that"
          + " fails could not take back");
    }
    NDArray s = withDefaultState(slotMap(slot), parameterId, weight.getDevice(), init);
    // Created inside update()'s scope; without this the scope would close the state.
    NDScope.unregister(s);
    return s;
  }

  /**
   * Computes the state array {@code slot} of a parameter for this step, out of place: {@code
   * next} maps the current value (or, at the first step, {@code init}'s) to the new one without
   * modifying it. The new value replaces the current one at once in a step of this optimizer,
   * and only when the caller commits the step under Hi-DLR ({@link #commitStep}), so that a step
   * that fails leaves the state as it was. The per-parameter rules ({@link #direction}) keep
   * their state this way; the whole-step methods, which apply a step only once it was checked,
   * update {@link #state} in place.
   *
   * @param slot one of {@link #slotNames()}
   * @param parameterId the parameter id given to {@link #direction}
   * @param weight the parameter (gives the device)
   * @param init creates the value before the first step
   * @param next the new value from the current one, which it must not modify
   * @return the new value, to be read only
   */
  protected final NDArray nextState(String slot, String parameterId, NDArray weight,
      Function<String, NDArray> init, UnaryOperator<NDArray> next) {
    Map<Device, NDArray> perDevice = slotMap(slot).get(parameterId);
    NDArray current = perDevice == null ? null : perDevice.get(weight.getDevice());
    NDArray value = next.apply(current == null ? init.apply(parameterId) : current);
    if (value == current) {
      return value;
    }
    // Created inside the step's scope; the optimizer owns it from here.
    NDScope.unregister(value);
    value.detach();
    if (staging) {
      staged.add(new StagedArray(slot, parameterId, weight.getDevice(), value));
    } else {
      install(slot, parameterId, weight.getDevice(), value);
    }
    return value;
  }

  /**
   * Tells whether the state array {@code slot} of a parameter exists yet (on any device).
   *
   * @param slot one of {@link #slotNames()}
   * @param parameterId the parameter id given to {@link #direction}
   * @return whether the slot was created or loaded for this parameter
   */
  protected final boolean hasState(String slot, String parameterId) {
    return slotMap(slot).containsKey(parameterId);
  }

  /**
   * Adds the L2 weight decay term to a gradient in place: {@code g ← g + λ·w}.
   *
   * @param grad the gradient temporary, modified in place
   * @param weight the parameter
   * @param weightDecay the coefficient {@code λ}; nothing happens for 0
   * @return {@code grad}
   */
  protected static NDArray addWeightDecay(NDArray grad, NDArray weight, float weightDecay) {
    if (weightDecay != 0f) {
      grad.addi(weight.mul(weightDecay));
    }
    return grad;
  }

  private Map<String, Map<Device, NDArray>> slotMap(String slot) {
    Map<String, Map<Device, NDArray>> map = slots.get(slot);
    if (map == null) {
      throw new IllegalStateException("slot \"" + slot + "\" is not declared by "
          + getClass().getSimpleName() + "; declared slots: " + slotNames);
    }
    return map;
  }

  private long currentStep(String parameterId, Device device) {
    Map<Device, Long> perDevice = steps.get(parameterId);
    Long step = perDevice == null ? null : perDevice.get(device);
    return step == null ? beginNumUpdate : step;
  }

  /**
   * Describes the options shared by all optimizers here, for {@code toString()}.
   *
   * @return e.g. {@code "learningRate=0.01, rescaleGrad=1.0, clipGrad=off, beginNumUpdate=0"}
   */
  protected final String commonConfig() {
    return "learningRate=" + learningRate + ", rescaleGrad=" + rescaleGrad + ", clipGrad="
        + (clipGradient > 0f ? Float.toString(clipGradient) : "off") + ", beginNumUpdate="
        + beginNumUpdate;
  }

  /**
   * Writes the state of the parameters of {@code block} in the one format of hidlr's optimizers
   * ({@code StateFormat}: magic {@code "HDLO"}, version {@value #STATE_VERSION}): the global
   * values ({@link #globalValues()}), then for each parameter this optimizer has updated its full
   * name (as in {@link Block#getParameters()}), its step counter and its slots. Parameters never
   * updated (e.g. frozen) are not written.
   *
   * @param block the block whose parameters this optimizer trains
   * @param out the stream to write to; flushed, not closed
   * @throws IOException if writing fails
   * @throws IllegalStateException in the middle of a step
   */
  public final void saveState(Block block, DataOutputStream out) throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(out, "out");
    checkBetweenSteps("save the state");
    List<StateFormat.ParameterState> parameters = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      String id = p.getValue().getId();
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (String slot : slotNames) {
        Map<Device, NDArray> perDevice = slots.get(slot).get(id);
        if (perDevice != null && !perDevice.isEmpty()) {
          // Every device holds the same values (same aggregated gradient); any one will do.
          arrays.put(slot, perDevice.values().iterator().next());
        }
      }
      Map<Device, Long> perDevice = steps.get(id);
      if (perDevice != null || !arrays.isEmpty()) {
        long step = perDevice == null ? beginNumUpdate
            : perDevice.values().stream().mapToLong(Long::longValue).max().orElse(beginNumUpdate);
        parameters.add(new StateFormat.ParameterState(p.getKey(), null, step, arrays));
      }
    }
    StateFormat.write(out, getClass().getName(), globalValues(), slotNames, parameters);
  }

  /**
   * Reads state written by {@link #saveState} and installs it for the parameters of {@code block},
   * replacing any state this optimizer holds for them. Parameters of the block absent from the
   * stream start fresh, as they would have in the saving run. Nothing is installed unless the whole
   * stream is valid.
   *
   * @param block the block, initialized, with the same parameter names and shapes as when saved
   * @param manager the manager to decode arrays with (they are then owned by this optimizer)
   * @param in the stream to read from; not closed
   * @throws IllegalArgumentException if the stream is not optimizer state, has another version,
   *     comes from another optimizer, global values or slot layout, names a parameter the block
   *     lacks, or holds an array of the wrong shape or type
   * @throws IllegalStateException in the middle of a step
   * @throws IOException if reading fails
   */
  public final void loadState(Block block, NDManager manager, DataInputStream in)
      throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(in, "in");
    checkBetweenSteps("load a state");
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      byName.put(p.getKey(), p.getValue());
    }
    StateFormat.Contents contents = StateFormat.read(in, this, byName, manager);
    long index;
    Record scalars;
    try {
      Map<String, Double> values = new LinkedHashMap<>(contents.globals());
      double savedIndex = values.remove(STEP_INDEX);
      if (!(savedIndex >= 0) || savedIndex != Math.rint(savedIndex)) {
        throw new IllegalArgumentException(
            "optimizer state gives step index " + savedIndex + "; the stream is corrupt");
      }
      index = (long) savedIndex;
      scalars = ScalarState.fromMap(globalState().getClass(), values);
    } catch (RuntimeException e) {
      contents.parameters().forEach(StateFormat.ParameterState::close);
      throw e;
    }
    install(byName, contents.parameters());
    stepIndex = index;
    restoreGlobalState(scalars);
  }

  private void install(Map<String, Parameter> byName, List<StateFormat.ParameterState> loaded) {
    for (Parameter parameter : byName.values()) {
      String id = parameter.getId();
      steps.remove(id);
      for (Map<String, Map<Device, NDArray>> map : slots.values()) {
        Map<Device, NDArray> old = map.remove(id);
        if (old != null) {
          old.values().forEach(NDArray::close);
        }
      }
    }
    for (StateFormat.ParameterState p : loaded) {
      String id = p.parameter().getId();
      Device device = p.parameter().getArray().getDevice();
      Map<Device, Long> stepMap = new ConcurrentHashMap<>();
      stepMap.put(device, p.step());
      steps.put(id, stepMap);
      for (Map.Entry<String, NDArray> e : p.slots().entrySet()) {
        NDArray array = e.getValue();
        if (!array.getDevice().equals(device)) {
          NDArray moved = array.toDevice(device, true);
          NDScope.unregister(moved);
          moved.detach();
          array.close();
          array = moved;
        }
        Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
        perDevice.put(device, array);
        slots.get(e.getKey()).put(id, perDevice);
      }
    }
  }

  /**
   * The options every optimizer here shares: the learning rate (required) and DJL's common options,
   * validated in {@code build()}.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B, O>, O extends NdOptimizer>
      extends OptimizerBuilder<B> {

    private final Function<B, O> constructor;

    private float learningRate = Float.NaN;
    private boolean learningRateSet;
    private Float weightDecay;
    private float rescale = 1f;
    private float clipGradient = -1f;
    private int beginNumUpdate;
    private Block block;

    /**
     * Creates a builder; concrete builders are obtained from {@link Optimizers} and
     * {@code Baselines}.
     *
     * @param constructor makes the optimizer from this builder once {@link #build} validated it
     */
    protected Builder(Function<B, O> constructor) {
      this.constructor = constructor;
    }

    /**
     * Returns this builder as its concrete type.
     *
     * @return this builder
     */
    @Override
    @SuppressWarnings("unchecked")
    public final B self() {
      return (B) this;
    }

    /**
     * Builds the optimizer after checking every option ({@link #validate}).
     *
     * @return the optimizer
     * @throws IllegalArgumentException naming a bad option and the fix
     */
    public final O build() {
      validate();
      return constructor.apply(self());
    }

    /**
     * Sets the block whose parameters this optimizer trains, so that it assembles whole steps:
     * a non-finite gradient is then refused before any parameter moves, and a parameter that
     * got no gradient is named. Required by the whole-step methods; optional otherwise (each
     * parameter is then stepped as DJL hands it over), and not needed under Hi-DLR, which
     * assembles the step itself. The cost: a copy of every gradient is held until the step's
     * last parameter, and the parameters must live on one device.
     *
     * @param block the model's block ({@code model.getBlock()}); may be uninitialized yet
     * @return this builder
     */
    public B setBlock(Block block) {
      this.block = block;
      return self();
    }

    /**
     * Whether {@link #setBlock} was given a block.
     *
     * @return true with a block
     */
    protected final boolean hasBlock() {
      return block != null;
    }

    /**
     * Sets the fixed learning rate {@code η}; required.
     *
     * @param learningRate a finite value {@code > 0}
     * @return this builder
     */
    public B setLearningRate(float learningRate) {
      this.learningRate = learningRate;
      this.learningRateSet = true;
      return self();
    }

    /**
     * Sets the weight decay {@code λ}; what it means depends on the optimizer (L2 added to the
     * gradient, or decoupled for AdamW). Defaults to 0 (0.01 for AdamW).
     *
     * @param weightDecay a finite value {@code ≥ 0}
     * @return this builder
     */
    public B optWeightDecay(float weightDecay) {
      this.weightDecay = weightDecay;
      super.optWeightDecays(weightDecay);
      return self();
    }

    /**
     * Same as {@link #optWeightDecay(float)}; DJL's name, kept so both spellings set one value.
     *
     * @param weightDecays a finite value {@code ≥ 0}
     * @return this builder
     */
    @Override
    public B optWeightDecays(float weightDecays) {
      return optWeightDecay(weightDecays);
    }

    /**
     * Sets the factor the gradient is multiplied by before anything else (e.g. {@code
     * 1/batchSize}). Defaults to 1.
     *
     * @param rescaleGrad a finite value {@code > 0}
     * @return this builder
     */
    @Override
    public B setRescaleGrad(float rescaleGrad) {
      this.rescale = rescaleGrad;
      return super.setRescaleGrad(rescaleGrad);
    }

    /**
     * Clips the rescaled gradient elementwise to {@code [−clipGrad, clipGrad]} (symmetric, unlike
     * DJL's PyTorch Sgd/Adam, which only clamp from above). A negative value turns clipping off,
     * the default.
     *
     * @param clipGrad a value {@code > 0}, or {@code < 0} for no clipping
     * @return this builder
     */
    @Override
    public B optClipGrad(float clipGrad) {
      this.clipGradient = clipGrad;
      return super.optClipGrad(clipGrad);
    }

    /**
     * Sets the step counter a parameter starts from: its first step is {@code beginNumUpdate + 1}.
     * Only Adam's bias correction reads it. Defaults to 0.
     *
     * @param beginNumUpdate a value {@code ≥ 0}
     * @return this builder
     */
    @Override
    public B optBeginNumUpdate(int beginNumUpdate) {
      this.beginNumUpdate = beginNumUpdate;
      return super.optBeginNumUpdate(beginNumUpdate);
    }

    /**
     * Returns the weight decay, or {@code defaultValue} when none was set.
     *
     * @param defaultValue the optimizer's default
     * @return the weight decay to use
     */
    protected final float weightDecayOr(float defaultValue) {
      return weightDecay == null ? defaultValue : weightDecay;
    }

    /**
     * Checks the shared options; concrete builders call it first in {@code build()} and then check
     * their own.
     *
     * @throws IllegalArgumentException naming the bad value and the fix
     */
    protected void validate() {
      check(
          learningRateSet,
          "learning rate is required: call setLearningRate(η) with a finite η > 0");
      check(
          Float.isFinite(learningRate) && learningRate > 0f,
          "learning rate must be finite and > 0, got " + learningRate
              + "; pass e.g. setLearningRate(0.01f)");
      if (weightDecay != null) {
        check(
            Float.isFinite(weightDecay) && weightDecay >= 0f,
            "weight decay must be finite and >= 0, got " + weightDecay + "; use 0 for none");
      }
      check(
          Float.isFinite(rescale) && rescale > 0f,
          "rescaleGrad must be finite and > 0, got " + rescale + "; use 1 for none");
      check(
          !Float.isNaN(clipGradient) && clipGradient != 0f,
          "clipGrad must be > 0 (clip to [-c, c]) or < 0 (off), got " + clipGradient);
      check(beginNumUpdate >= 0, "beginNumUpdate must be >= 0, got " + beginNumUpdate);
    }

    /**
     * Throws an {@link IllegalArgumentException} with {@code message} unless {@code ok}.
     *
     * @param ok the condition that must hold
     * @param message names the bad value and the fix
     */
    protected static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }

    /**
     * Checks {@code value ∈ [0, 1)}, the range of momenta, betas and decay rates.
     *
     * @param name the option's name, e.g. {@code "momentum"}
     * @param value the value
     * @param fix how to call the option correctly
     */
    protected static void checkUnitInterval(String name, float value, String fix) {
      check(value >= 0f && value < 1f, name + " must be in [0, 1), got " + value + "; " + fix);
    }

    /**
     * Checks that an epsilon is finite and {@code > 0}.
     *
     * @param value the value
     * @param fix how to call the option correctly
     */
    protected static void checkEpsilon(float value, String fix) {
      check(
          Float.isFinite(value) && value > 0f,
          "epsilon must be finite and > 0, got " + value + "; " + fix);
    }
  }
}
