package io.github.hidlr.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.hidlr.core.probe.LossPrecision;
import io.github.hidlr.core.probe.LossProbe;
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.core.tuner.ProbeReport;
import io.github.hidlr.core.tuner.StepResult;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.GroupMember;
import io.github.hidlr.djl.group.ResolvedGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The arithmetic of one Hi-DLR step on DJL (ALGORITHM.md §6), once {@link HiDlrOptimizer} has
 * captured the base optimizer's direction {@code d} of every parameter: probe the loss on the
 * probe batch by forward passes at {@code w_before − Σ_k ξ_k d_(k)} (inference mode, no
 * autograd), let the {@link HiDlrTuner} choose {@code η_k}, and write
 * {@code w = w_before − Σ_k η_k d_(k)}. (A base optimizer that is differenced hands over
 * {@code Δ = η_ref·d} instead and is moved by {@code (η_k / η_ref) Δ}.)
 *
 * <p>Displacements are written in place into the probed groups' tensors, each from the previous
 * one by the difference of the displacements (no copy); the saved {@code w_before} is restored
 * bit for bit whatever happens during a probe. Not thread-safe; run it on the thread that
 * trains.
 */
final class GroupedStep {

  /**
   * One parameter replica captured during a step: the weight, {@code w_before} when the base
   * optimizer was differenced (null when it handed over its direction and left the weight
   * alone), and the direction it handed over (null when differenced: {@code Δ} is then in the
   * gradient buffer).
   */
  record Capture(String parameterId, NDArray weight, NDArray before,
      NdOptimizer.Direction direction) {}

  private final ResolvedGroups groups;
  private final HiDlrTuner tuner;
  /** The rate a captured update already contains: 1 for a direction, η_ref for Δ. */
  private final double unit;

  GroupedStep(ResolvedGroups groups, TunerConfig config, double unit) {
    this.groups = groups;
    this.tuner = HiDlrTuner.create(config, groups.layout());
    this.unit = unit;
  }

  HiDlrTuner tuner() {
    return tuner;
  }

  ResolvedGroups groups() {
    return groups;
  }

  /**
   * Finishes a step whose every trainable parameter was captured: probe if due, write the
   * rescaled update, clear the gradients and free the directions.
   *
   * @param captures the step's captures
   * @param forward the probe batch's loss at the current weights, as a scalar array; called
   *     only when the tuner probes, in inference mode, inside a scope that closes it
   * @return what the step did
   */
  StepOutcome apply(List<Capture> captures, Supplier<NDArray> forward) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    List<Replica> replicas = new ArrayList<>(captures.size());
    // Every temporary array of the probe and the rescaled update dies with this scope.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      try {
        for (Capture capture : captures) {
          replicas.add(new Replica(capture, groups.members(capture.parameterId())));
        }
        return probeAndApply(replicas, forward);
      } finally {
        // Clear the gradient buffers (they may hold Δ) so the next backward starts from zero,
        // and free the captured directions.
        for (Capture capture : captures) {
          JniUtils.zeroGrad((PtNDArray) capture.weight());
          if (capture.direction() != null) {
            capture.direction().close();
          }
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private StepOutcome probeAndApply(List<Replica> replicas, Supplier<NDArray> forward) {
    checkFinite(replicas);
    long begin = System.nanoTime();
    StepResult result;
    try {
      result = tuner.step(new ForwardProbe(replicas, forward));
    } catch (RuntimeException | Error e) {
      for (Replica replica : replicas) {
        replica.restore();
      }
      throw e;
    }
    long probeNanos = result.report().isPresent() ? System.nanoTime() - begin : 0;
    double[] scales = result.rates().clone();
    for (int k = 0; k < scales.length; k++) {
      scales[k] /= unit;
    }
    for (Replica replica : replicas) {
      replica.displace(scales, false);
    }
    List<String> frozen = freeze(result.report().map(ProbeReport::newlyFrozen).orElse(List.of()));
    return new StepOutcome(result.step(), result.rates(), result.report(), probeNanos, frozen);
  }

  private List<String> freeze(List<String> groupNames) {
    List<String> names = new ArrayList<>();
    for (String group : groupNames) {
      int k = tuner.layout().indexOf(group);
      for (GroupMember member : groups.membersById().values().stream().flatMap(List::stream)
          .filter(m -> m.group() == k && m.wholeTensor()).toList()) {
        member.parameter().freeze(true);
        names.add(member.name());
      }
    }
    return names;
  }

  private void checkFinite(List<Replica> replicas) {
    int bad = Tensors.firstNonFinite(replicas.stream().map(r -> r.delta).toList());
    if (bad >= 0) {
      throw new NonFiniteUpdateException("the base optimizer's update of parameter "
          + replicas.get(bad).describe() + " is not finite: the gradient exploded or the loss"
          + " was NaN. The weights were left as they were before this step. Lower the initial"
          + " rate, clip gradients, or check the data for NaN or infinite values.");
    }
  }

  /** A parameter replica with its saved weights and update during one step. */
  private final class Replica {
    final NDArray weight;
    /** {@code w_before}; null until needed when the optimizer left the weight untouched. */
    NDArray before;
    /** The direction the weight moves along: {@code d}, or {@code Δ} when differenced. */
    final NDArray delta;
    /** Whether the step's final update may scale {@link #delta} in place (its last use). */
    final boolean scratch;
    final List<GroupMember> members;
    final double[] current;

    Replica(Capture capture, List<GroupMember> members) {
      this.weight = capture.weight();
      this.before = capture.before();
      if (capture.direction() != null) {
        this.delta = capture.direction().array();
        this.scratch = capture.direction().owned();
      } else {
        this.delta = JniUtils.getGradient((PtNDArray) capture.weight());
        this.scratch = true;
      }
      this.members = members;
      this.current = new double[members.size()];
      if (members.isEmpty()) {
        throw new IllegalStateException("parameter " + capture.parameterId() + " was updated by the"
            + " optimizer but is in no group; resolve the groups after every parameter is"
            + " created, and freeze parameters outside them");
      }
    }

    String describe() {
      return "\"" + members.get(0).name() + "\"";
    }

    /**
     * {@code w = w_before − Σ scale_k Δ_(k)} over this tensor's members.
     *
     * @param scales per group
     * @param probing whether a later displacement will need {@code w_before} back (a probe);
     *     the final update of a step does not
     */
    void displace(double[] scales, boolean probing) {
      // Invariant: the weight is w_before bit for bit when every current scale is 0, and
      // w_before − current·d otherwise. From one probe point to the next it moves by the
      // difference of the scales (one multiply-subtract, no copy; equal to the formula up to
      // a rounding). The origin and the step's final update start from w_before, so the step
      // leaves exactly w_before − scale·d: without a probe, the base optimizer's own update.
      boolean atOrigin = true;
      for (double c : current) {
        atOrigin &= c == 0;
      }
      boolean same = true;
      for (int i = 0; i < members.size(); i++) {
        same &= current[i] == scales[members.get(i).group()];
      }
      if (same && (probing || atOrigin)) {
        return;
      }
      boolean toOrigin = true;
      for (GroupMember member : members) {
        toOrigin &= scales[member.group()] == 0;
      }
      if (!atOrigin && (toOrigin || !probing)) {
        Tensors.assign(weight, before);
        Arrays.fill(current, 0);
      } else if (before == null && probing) {
        // Leaving w_before for a probe: keep it (dies with the step's scope).
        before = weight.duplicate();
      }
      if (members.size() == 1 && members.get(0).wholeTensor()) {
        double scale = scales[members.get(0).group()];
        double move = scale - current[0];
        if (move != 0 && probing) {
          try (NDArray step = delta.mul((float) move)) {
            weight.subi(step);
          }
        } else if (move != 0) {
          // The step's last use of the direction: scale it in place instead of allocating a
          // copy, unless it is the base optimizer's state (e.g. SGD's momentum buffer).
          weight.subi(scratch ? delta.muli((float) move) : delta.mul((float) move));
        }
        current[0] = scale;
        return;
      }
      Shape shape = weight.getShape();
      float[] rowScale = new float[(int) shape.get(0)];
      for (int i = 0; i < members.size(); i++) {
        GroupMember member = members.get(i);
        double scale = scales[member.group()];
        Arrays.fill(rowScale, (int) member.fromRow(), (int) member.toRow(),
            (float) (scale - current[i]));
        current[i] = scale;
      }
      long[] broadcast = new long[shape.dimension()];
      Arrays.fill(broadcast, 1);
      broadcast[0] = shape.get(0);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray column = weight.getManager().create(rowScale)
            .toDevice(weight.getDevice(), false).reshape(new Shape(broadcast));
        weight.subi(probing || !scratch ? delta.mul(column) : delta.muli(column));
      }
    }

    void restore() {
      boolean displaced = false;
      for (double c : current) {
        displaced |= c != 0;
      }
      if (displaced) {
        Tensors.assign(weight, before);
        Arrays.fill(current, 0);
      }
    }
  }

  /** The loss on the probe batch at displaced weights, by forward passes in inference mode. */
  private final class ForwardProbe implements LossProbe {
    private final List<Replica> replicas;
    private final Supplier<NDArray> forward;

    ForwardProbe(List<Replica> replicas, Supplier<NDArray> forward) {
      this.replicas = replicas;
      this.forward = forward;
    }

    @Override
    public double loss(double[] displacement) {
      double[] scales = new double[displacement.length];
      for (int k = 0; k < scales.length; k++) {
        scales[k] = displacement[k] / unit;
      }
      for (Replica replica : replicas) {
        replica.displace(scales, true);
      }
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        return forward.get().toType(DataType.FLOAT64, false).getDouble();
      }
    }

    @Override
    public LossPrecision precision() {
      return LossPrecision.FLOAT32;
    }
  }

}
