package io.github.hidlr.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.GroupMember;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ResolvedGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hi-DLR as an ordinary DJL {@link Optimizer}: hand it to
 * {@code DefaultTrainingConfig.optOptimizer} and train with {@code trainer.step()} or
 * {@code EasyTrain.fit}, unchanged. Build it with {@link HiDlr}. The one adapter between DJL
 * and hidlr's rates.
 *
 * <p>DJL calls {@link #update} once per trainable parameter inside {@code trainer.step()};
 * each call only notes the parameter (its gradient is read later from the parameter's own
 * gradient buffer, which is what DJL's trainer hands over). Once every trainable parameter of
 * the model has arrived, a non-finite gradient is refused before anything changes, and the base
 * optimizer then runs once per parameter, on its gradient, in DJL's order, and its update is
 * captured instead of applied; a step that never completes (wrong wiring) has changed nothing.
 * hidlr's own
 * optimizers ({@code io.github.hidlr.djl.optim}) hand over their direction {@code d}
 * ({@link NdOptimizer#captureDirection}) and leave the weight at {@code w_before}; any other
 * optimizer (DJL's SGD, Adam, AdamW; the whole-step baselines) is differenced at its fixed rate
 * {@code η_ref}: {@code w_before} is saved into a buffer reused across steps, the base
 * optimizer writes {@code w_after}, and then {@code Δ = w_before − w_after} goes into the
 * gradient buffer and {@code w_before} back. The base optimizer's state is updated once per
 * step, never twice as in the reference GeN code. {@link GroupedStep} then completes the
 * step (ALGORITHM.md §6): probe the loss on the probe batch by forward passes at
 * {@code w − Σ_k ξ_k d_(k)} when the tuner is due ({@code Φ}), choose {@code η_k}, and write
 * {@code w = w_before − Σ_k η_k d_(k)}, which at {@code η_k = η} is the optimizer's own step to
 * the bit. The probe batch ({@link ProbeBatches}) is drawn only on probing steps, before the
 * base optimizer runs.
 *
 * <p>Exact when the update is linear in the learning rate: true for SGD, Adam, AdamW and the
 * optimizers of {@code io.github.hidlr.djl.optim}; not for DJL's {@code Sgd} with momentum,
 * which keeps the learning rate inside its buffer. Extra memory during a step: the directions
 * of hidlr's optimizers (up to one copy of the trainable parameters) and their new state, kept
 * apart until the step succeeded (one copy per slot: Adam two), or one copy kept between steps
 * when differencing; a probing step adds a copy of {@code w_before} for the probed tensors.
 *
 * <p>Wrong wiring fails with a message that says the fix: a parameter that is not in the
 * model this optimizer was built for (an optimizer shared by two models), a grouped parameter
 * that got no gradient (it did not take part in the forward pass, or the step ran without a
 * backward), a probe source that yields no batch, a trainable parameter in no group. A step that
 * fails part-way puts back the weights it moved and clears the gradients. Not thread-safe; one
 * optimizer per trainer.
 */
public final class HiDlrOptimizer extends Optimizer {

  private final Optimizer base;
  /** {@code η_ref}: the base optimizer's fixed learning rate. */
  private final float referenceRate;
  /** Whether the base optimizer hands over its direction rather than being differenced. */
  private final boolean capturesDirection;
  /** {@code w_before} per replica when differencing, reused step after step. */
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  private NDManager bufferManager;
  /** The parameters DJL handed over in the step being assembled. */
  private final List<Arrival> arrived = new ArrayList<>();
  /** The captures of the step being completed. */
  private final List<GroupedStep.Capture> pending = new ArrayList<>();
  private final Block block;
  private final Loss loss;
  private final ParameterGroups groupSpec;
  private final TunerConfig config;
  private final ProbeBatches probes;
  private final Consumer<StepOutcome> onStep;

  private GroupedStep stepper;
  private ParameterStore store;
  /** This step's parameters: the model's trainable ones (groups may freeze on the way). */
  private final StepAssembly assembly;
  /** Parameters the groups froze ({@code Rest.FREEZE}) when the first step resolved them. */
  private final Map<String, Parameter> frozenByGroups = new HashMap<>();
  private StepOutcome last;

  HiDlrOptimizer(HiDlr.Builder builder, Model model, Loss loss) {
    super(builder.optimizerBuilder());
    this.base = builder.base();
    this.referenceRate = builder.rate();
    this.capturesDirection = base instanceof NdOptimizer nd && nd.handsOverDirections();
    this.block = Objects.requireNonNull(model, "model").getBlock();
    if (block == null) {
      throw new IllegalArgumentException("the model has no block: call model.setBlock(...)"
          + " before building the Hi-DLR optimizer");
    }
    this.loss = Objects.requireNonNull(loss, "loss: pass the loss the trainer uses");
    this.groupSpec = builder.groups();
    this.config = builder.config();
    this.probes = new ProbeBatches(builder.probes());
    this.onStep = builder.onStep();
    this.assembly = new StepAssembly(block, "this Hi-DLR optimizer", "Build one Hi-DLR"
        + " optimizer per model and trainer, after model.setBlock(...), with that model");
  }

  /**
   * The tuner (estimates, state, configuration), once the model is initialised: the groups
   * are resolved at the first step, or at the first call here after
   * {@code trainer.initialize(...)} (to restore a checkpoint before training).
   *
   * @return the tuner, or empty while the model's parameters are not initialised
   */
  public Optional<HiDlrTuner> tuner() {
    return started() ? Optional.of(stepper.tuner()) : Optional.empty();
  }

  /**
   * The resolved groups, once the model is initialised (see {@link #tuner()}).
   *
   * @return the groups, or empty while the model's parameters are not initialised
   */
  public Optional<ResolvedGroups> groups() {
    return started() ? Optional.of(stepper.groups()) : Optional.empty();
  }

  /**
   * Probes the next step on this batch instead of the probe source's: for loops that choose
   * the probe batch themselves ({@code hidlr.probeOn(x, y); trainer.step();}). Used by the next
   * {@code trainer.step()} only, whether it probes or not: call it right before that step, and
   * keep the batch open until the step returns.
   *
   * @param data the inputs
   * @param labels the labels
   */
  public void probeOn(NDList data, NDList labels) {
    probes.offer(data, labels);
  }

  /** Starts (resolves the groups) when the model is initialised; whether it has started. */
  private boolean started() {
    if (stepper == null && !block.getParameters().isEmpty()
        && block.getParameters().valueAt(0).isInitialized()) {
      start();
    }
    return stepper != null;
  }

  /**
   * What the last step did: its rates per group and, on probing steps, the probe report. For
   * a {@code TrainingListener}'s {@code onTrainingBatch}.
   *
   * @return the last step's outcome; empty before the first step, and after a
   *     {@code trainer.step()} that did not complete one (a grouped parameter got no gradient;
   *     the next step then fails and names it)
   */
  public Optional<StepOutcome> lastStep() {
    return Optional.ofNullable(last);
  }

  /**
   * The group names, in the order of {@link StepOutcome#rates()}, once the model is
   * initialised (see {@link #tuner()}).
   *
   * @return the names, or an empty list while the model's parameters are not initialised
   */
  public List<String> groupNames() {
    return started() ? stepper.tuner().layout().names() : List.of();
  }

  /**
   * Notes one parameter of the step; at the step's last parameter, runs the whole step. The
   * step uses the gradients in the parameters' own buffers ({@code weight}'s gradient), as DJL's
   * trainer passes them; {@code grad} is not kept, since DJL closes it when this call returns.
   *
   * @param parameterId the parameter's id
   * @param weight the parameter
   * @param grad DJL's handle to the parameter's gradient
   */
  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    if (stepper == null) {
      try {
        start();
      } catch (RuntimeException | Error e) {
        // Nothing started: the step is refused as a whole, and the next one starts again.
        clearGradients();
        throw e;
      }
    }
    Parameter frozen = frozenByGroups.get(parameterId);
    if (frozen != null && !frozen.requiresGradient()) {
      // DJL listed it for this step before the groups froze it: it takes no update.
      return;
    }
    if (!assembly.inProgress()) {
      // A trainer.step() that does not complete a step leaves lastStep() empty, not stale.
      last = null;
    }
    String name;
    try {
      name = assembly.add(parameterId);
      if (stepper.groups().members(parameterId).isEmpty()) {
        throw new IllegalStateException("parameter \"" + name + "\" requires a gradient but is"
            + " in no group of this Hi-DLR optimizer: it was frozen when the groups were"
            + " resolved (at the first step) and unfrozen since. Keep it frozen, or build the"
            + " optimizer with groups that take it in; the step was refused, nothing changed");
      }
    } catch (RuntimeException | Error e) {
      // A wiring mistake: nothing of this step ran yet (the base optimizer runs only once the
      // step is complete), so dropping it leaves every weight and state as it was.
      abortStep();
      throw e;
    }
    // Only noted here: DJL's gradient handle is closed when this call returns, and running the
    // base optimizer now would advance its state for a step that may never complete.
    arrived.add(new Arrival(parameterId, name, weight));
    if (!assembly.complete()) {
      return;
    }
    assembly.reset();
    boolean completed = false;
    try {
      checkGradients();
      if (stepper.tuner().isProbeStep()) {
        // Drawn before the base optimizer runs: a step without a probe batch changes nothing.
        probes.current(manager());
      }
      last = stepper.apply(captureStep(), this::probeLoss);
      completed = true;
      if (base instanceof NdOptimizer nd) {
        // The base optimizer's new state counts only now that the step succeeded.
        nd.commitStep();
      }
      onStep.accept(last);
    } finally {
      if (completed) {
        probes.endStep();
      } else {
        // Refused (a non-finite gradient) or failed part-way: nothing half done.
        abortStep();
      }
    }
  }

  /** A parameter DJL handed over in the step being assembled. */
  private record Arrival(String parameterId, String name, NDArray weight) {}

  /**
   * Drops the step: the weights the base optimizer moved go back, its new state is dropped, a
   * probe batch drawn is kept for the retry, and the gradients are cleared.
   */
  private void abortStep() {
    assembly.reset();
    arrived.clear();
    probes.abandonStep();
    try {
      restoreCaptured();
    } finally {
      if (base instanceof NdOptimizer nd) {
        // A whole-step base keeps the part of the step it was given: drop it too.
        nd.abandonStep();
      }
    }
    clearGradients();
  }

  /**
   * Runs the base optimizer over the complete step, in the order DJL handed the parameters
   * over, on their gradients, and captures its update ({@link #capture}, {@link #drain}).
   */
  private List<GroupedStep.Capture> captureStep() {
    List<Arrival> step = new ArrayList<>(arrived);
    arrived.clear();
    for (Arrival arrival : step) {
      PtNDArray gradient = JniUtils.getGradient((PtNDArray) arrival.weight());
      if (gradient == null) {
        throw new IllegalStateException("parameter \"" + arrival.name() + "\" has no"
            + " gradient buffer: run backward before trainer.step()");
      }
      try (NDArray g = gradient) {
        capture(arrival.parameterId(), arrival.weight(), g);
      }
    }
    return drain();
  }

  /**
   * Runs the base optimizer on one parameter and captures its update: its direction, or
   * {@code w_before} for differencing once the step is complete ({@link #drain}).
   */
  private void capture(String parameterId, NDArray weight, NDArray grad) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      if (capturesDirection) {
        // d itself, the weight left at w_before: no copy, no difference, no restore.
        pending.add(new GroupedStep.Capture(parameterId, weight, null,
            ((NdOptimizer) base).captureDirection(parameterId, weight, grad)));
        return;
      }
      String key = parameterId + "@" + weight.getDevice();
      NDArray before = buffers.get(key);
      if (before == null) {
        if (bufferManager == null || !bufferManager.isOpen()) {
          bufferManager = weight.getManager().newSubManager(weight.getDevice());
        }
        before = weight.duplicate();
        NDScope.unregister(before);
        before.attach(bufferManager);
        buffers.put(key, before);
      } else {
        // One copy of the parameters, reused step after step: no allocation.
        Tensors.assign(before, weight);
      }
      pending.add(new GroupedStep.Capture(parameterId, weight, before, null));
      base.update(parameterId, weight, grad);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Hands over the step's captures: for each differenced replica, stores
   * {@code Δ = w_before − w_after} in its gradient buffer and puts {@code w_before} back. Done
   * once the base optimizer saw every parameter, so base optimizers that move the weights only
   * then (Prodigy, D-Adaptation) are captured correctly too.
   */
  private List<GroupedStep.Capture> drain() {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (GroupedStep.Capture capture : pending) {
        if (capture.before() == null) {
          continue;
        }
        try (NDArray delta = JniUtils.getGradient((PtNDArray) capture.weight())) {
          Tensors.assign(delta, capture.before());
          delta.subi(capture.weight());
        }
        Tensors.assign(capture.weight(), capture.before());
      }
      List<GroupedStep.Capture> out = new ArrayList<>(pending);
      pending.clear();
      return out;
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Puts {@code w_before} back into every replica captured this step and forgets them. */
  private void restoreCaptured() {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (GroupedStep.Capture capture : pending) {
        if (capture.before() != null) {
          Tensors.assign(capture.weight(), capture.before());
        }
        if (capture.direction() != null) {
          capture.direction().close();
        }
      }
    } finally {
      pending.clear();
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Refuses a non-finite gradient before the base optimizer sees it: once folded into
   * momentum or Adam's moments it would poison every later step. Nothing has changed when this
   * throws; the gradients are cleared.
   */
  private void checkGradients() {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      List<String> names = new ArrayList<>();
      List<NDArray> gradients = new ArrayList<>();
      for (List<GroupMember> members : stepper.groups().membersById().values()) {
        Parameter parameter = members.get(0).parameter();
        PtNDArray gradient = parameter.requiresGradient()
            ? JniUtils.getGradient((PtNDArray) parameter.getArray()) : null;
        if (gradient != null) {
          names.add(members.get(0).name());
          gradients.add(gradient);
        }
      }
      int bad;
      try {
        bad = Tensors.firstNonFinite(gradients);
      } finally {
        gradients.forEach(NDArray::close);
      }
      if (bad >= 0) {
        throw new NonFiniteUpdateException("the gradient of parameter \""
            + names.get(bad) + "\" is not finite: the loss was NaN or infinite, or the"
            + " gradient exploded. Nothing was changed: the weights were left as they were, the"
            + " base optimizer's state and the tuner are as before this step, and the"
            + " gradients were cleared. Check the batch for NaN or infinite values, lower the"
            + " initial rate, or clip gradients.");
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Clears the gradient of every trainable parameter of the model. */
  private void clearGradients() {
    for (Parameter parameter : block.getParameters().values()) {
      if (parameter.isInitialized() && parameter.requiresGradient()) {
        JniUtils.zeroGrad((PtNDArray) parameter.getArray());
      }
    }
  }

  /** Resolves the groups against the model's (now initialised) block. */
  private void start() {
    ThreadCheck.warnOnce();
    ResolvedGroups groups = groupSpec.resolve(block);
    GroupedStep created = new GroupedStep(groups, config, capturesDirection ? 1 : referenceRate);
    // Outside any probe pass's scope, which would close what a dataset loads when prepared;
    // and before anything changes, so that a dataset failing to prepare is tried again.
    probes.prepare();
    store = new ParameterStore(manager(), false);
    groups.freezeRest();
    for (String name : groups.frozenByRest()) {
      Parameter parameter = block.getParameters().get(name);
      frozenByGroups.put(parameter.getId(), parameter);
    }
    stepper = created;
  }

  /** The manager of the model's parameters. */
  private NDManager manager() {
    return block.getParameters().valueAt(0).getArray().getManager();
  }

  /** The probe batch's loss at the current weights (inference mode, no autograd). */
  private NDArray probeLoss() {
    NDList[] batch = probes.current(manager());
    return loss.evaluate(batch[1], block.forward(store, batch[0], false));
  }

  /**
   * Bytes held between steps for the step's capture: one copy of the trainable parameters
   * ({@code w_before}) when the base optimizer is differenced ({@link HiDlr#on(Optimizer,
   * float)}), none for hidlr's optimizers, which hand over their direction.
   *
   * @return the buffer size in bytes
   */
  public long bufferBytes() {
    long bytes = 0;
    for (NDArray buffer : buffers.values()) {
      bytes += buffer.size() * buffer.getDataType().getNumOfBytes();
    }
    return bytes;
  }

  /**
   * The base optimizer wrapped by this one.
   *
   * @return the base optimizer
   */
  public Optimizer base() {
    return base;
  }

  @Override
  public String toString() {
    return "HiDlrOptimizer[base=" + base.getClass().getSimpleName() + ", η0="
        + config.initialRate() + ", Φ=" + config.probeEvery() + "]";
  }
}
