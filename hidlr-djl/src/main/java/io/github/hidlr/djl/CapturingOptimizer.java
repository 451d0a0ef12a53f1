package io.github.hidlr.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import io.github.hidlr.djl.baseline.WholeStepOptimizer;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wraps the base optimizer so that a training step calls it exactly once and captures its
 * update instead of applying it (ALGORITHM.md §6).
 *
 * <p>hidlr's own optimizers ({@code io.github.hidlr.djl.optim}) hand over their direction
 * {@code d} ({@link NdOptimizer#captureDirection}) and leave the weight at {@code w_before};
 * {@link HiDlrStepper} then probes along {@code d} and writes {@code w = w_before − Σ_k η_k
 * d_(k)}, which at {@code η_k = η} is the optimizer's own step to the bit. Any other optimizer
 * (DJL's SGD, Adam, AdamW; the whole-step baselines) is differenced at the reference rate
 * {@code η_ref}: {@link #update} saves {@code w_before} into a buffer reused across steps, the
 * base optimizer computes {@code w_after}, and once every parameter of the step was updated
 * ({@link #drain}, at the step's last {@code update}) the capture stores
 * {@code Δ = w_before − w_after} in the gradient buffer and puts {@code w_before} back; the step
 * is then {@code w_before − Σ_k (η_k / η_ref) Δ_(k)}. The base optimizer's state (momentum,
 * Adam's moments) is updated once per step, never twice as in the reference GeN code. Extra
 * memory during a step: the directions of hidlr's optimizers (up to one copy of the trainable
 * parameters: Adam's direction is a temporary, SGD's momentum buffer is its state), or one copy
 * of them kept between steps when differencing; a probing step adds a copy of {@code w_before}
 * for the probed tensors.
 *
 * <p>Exact when the update is linear in the learning rate: true for SGD, Adam, AdamW and the
 * optimizers of {@code io.github.hidlr.djl.optim}; not for DJL's {@code Sgd} with momentum,
 * which keeps the learning rate inside its buffer.
 */
final class CapturingOptimizer extends Optimizer {

  /**
   * One parameter replica captured during the current step. For hidlr's optimizers the step
   * moves it by {@code η_k·d} along the captured direction ({@code before} is null); for any
   * other optimizer {@code before} is {@code w_before} and the direction, filled in by
   * {@link #drain}, is {@code Δ = w_before − w_after} in the gradient buffer, moved by
   * {@code (η_k / η_ref)·Δ}.
   */
  static final class Capture {
    final String parameterId;
    final NDArray weight;
    final NDArray before;
    /** The base optimizer's direction, when it handed one over. */
    final NdOptimizer.Direction direction;

    Capture(String parameterId, NDArray weight, NDArray before,
        NdOptimizer.Direction direction) {
      this.parameterId = parameterId;
      this.weight = weight;
      this.before = before;
      this.direction = direction;
    }
  }

  private final Optimizer base;
  private final float referenceRate;
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  private final List<Capture> pending = new ArrayList<>();
  private final Set<String> pendingIds = new HashSet<>();
  private NDManager bufferManager;

  private CapturingOptimizer(Builder builder) {
    super(builder);
    this.base = builder.base;
    this.referenceRate = builder.referenceRate;
  }

  /**
   * Wraps a base optimizer whose learning rate is fixed at {@code referenceRate} (both checked
   * by {@link HiDlr#on}).
   *
   * @param base the base optimizer (SGD, Adam, AdamW, or one of {@code optim})
   * @param referenceRate {@code η_ref}, the constant learning rate the base optimizer was built
   *     with
   * @return the wrapper
   */
  static CapturingOptimizer wrap(Optimizer base, float referenceRate) {
    Builder builder = new Builder();
    builder.base = base;
    builder.referenceRate = referenceRate;
    return new CapturingOptimizer(builder);
  }

  /**
   * The rate a captured update already contains: a group at rate {@code η_k} moves by
   * {@code (η_k / unit)} times it. 1 when the base optimizer hands over its direction
   * {@code d}; {@code η_ref} when its update {@code Δ = η_ref·d} is differenced.
   *
   * @return the unit
   */
  double unit() {
    return capturesDirection() ? 1 : referenceRate;
  }

  /**
   * The wrapped optimizer.
   *
   * @return the base optimizer
   */
  Optimizer base() {
    return base;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    if (!pendingIds.add(parameterId)) {
      abort();
      throw new IllegalStateException("parameter " + parameterId + " was captured twice without"
          + " the step being finished in between (an internal error of hidlr: please report"
          + " it)");
    }
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      if (capturesDirection()) {
        // hidlr's optimizers hand over d itself and leave the weight at w_before: no copy, no
        // difference, no restore; the step is then w − η_k·d, as the optimizer would take it.
        NdOptimizer.Direction direction =
            ((NdOptimizer) base).captureDirection(parameterId, weight, grad);
        pending.add(new Capture(parameterId, weight, null, direction));
        return;
      }
      String key = parameterId + "@" + weight.getDevice();
      NDArray before = buffers.get(key);
      if (before == null) {
        before = weight.duplicate();
        NDScope.unregister(before);
        before.attach(bufferManager(weight));
        buffers.put(key, before);
      } else {
        // The buffer is reused step after step: one copy of the parameters, no allocation.
        Tensors.assign(before, weight);
      }
      pending.add(new Capture(parameterId, weight, before, null));
      base.update(parameterId, weight, grad);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Whether the base optimizer hands over its direction itself
   * ({@link NdOptimizer#captureDirection}),
   * rather than being differenced: true for hidlr's per-parameter optimizers, false for DJL's
   * and for the whole-step baselines, which apply their update at the step's last parameter.
   *
   * @return true when {@code d} is captured directly
   */
  boolean capturesDirection() {
    return base instanceof NdOptimizer && !(base instanceof WholeStepOptimizer);
  }

  /**
   * Finishes the step's captures and hands them over: for each replica updated since the last
   * call, stores {@code Δ = w_before − w_after} in its gradient buffer and puts
   * {@code w_before} back. Done once the step's last parameter was updated rather than inside
   * each {@link #update}, so base optimizers that finish a step only once every parameter was
   * seen (Prodigy, D-Adaptation) are captured correctly too.
   *
   * @return the captures of the current step
   */
  List<Capture> drain() {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    boolean done = false;
    try {
      for (Capture capture : pending) {
        if (capture.before == null) {
          continue;
        }
        PtNDArray gradient = JniUtils.getGradient((PtNDArray) capture.weight);
        if (gradient == null) {
          throw new IllegalStateException("parameter " + capture.parameterId + " has no gradient"
              + " buffer after the base optimizer's update: run backward before stepping");
        }
        try (NDArray delta = gradient) {
          Tensors.assign(delta, capture.before);
          delta.subi(capture.weight);
        }
        Tensors.assign(capture.weight, capture.before);
      }
      List<Capture> out = new ArrayList<>(pending);
      pending.clear();
      pendingIds.clear();
      done = true;
      return out;
    } finally {
      if (!done) {
        abort();
      }
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Undoes the current step after a failure: every replica updated since the last
   * {@link #drain} gets {@code w_before} back, and the captures are forgotten.
   */
  void abort() {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (Capture capture : pending) {
        if (capture.before != null) {
          Tensors.assign(capture.weight, capture.before);
        }
        if (capture.direction != null) {
          capture.direction.close();
        }
      }
    } finally {
      pending.clear();
      pendingIds.clear();
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Bytes held in {@code w_before} buffers: the one extra copy of the trainable parameters.
   *
   * @return the buffer size in bytes
   */
  long bufferBytes() {
    long bytes = 0;
    for (NDArray buffer : buffers.values()) {
      bytes += buffer.size() * buffer.getDataType().getNumOfBytes();
    }
    return bytes;
  }

  private NDManager bufferManager(NDArray weight) {
    if (bufferManager == null || !bufferManager.isOpen()) {
      bufferManager = weight.getManager().newSubManager(weight.getDevice());
    }
    return bufferManager;
  }

  @Override
  public String toString() {
    return "CapturingOptimizer[base=" + base.getClass().getSimpleName() + ", η_ref="
        + referenceRate + "]";
  }

  /** Builder required by DJL's {@link Optimizer} constructor; use {@link #wrap}. */
  static final class Builder extends OptimizerBuilder<Builder> {
    private Optimizer base;
    private float referenceRate;

    @Override
    protected Builder self() {
      return this;
    }
  }
}
