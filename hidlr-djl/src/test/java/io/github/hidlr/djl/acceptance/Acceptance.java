package io.github.hidlr.djl.acceptance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared helpers of the acceptance tests: one backward pass, losses, snapshots. */
final class Acceptance {

  private Acceptance() {}

  /**
   * One Hi-DLR step as a loop that chooses the probe batch does it: {@code probeOn}, then
   * {@code trainer.step()}.
   */
  static io.github.hidlr.djl.StepOutcome step(Trainer trainer,
      io.github.hidlr.djl.HiDlrOptimizer hidlr, NDList data, NDList labels) {
    hidlr.probeOn(data, labels);
    trainer.step();
    return hidlr.lastStep().orElseThrow();
  }

  /** Forward and backward on one batch, in a collector that is always closed. */
  static void backward(Trainer trainer, NDList data, NDList labels) {
    try (NDScope scope = new NDScope();
        GradientCollector collector = trainer.newGradientCollector()) {
      scope.suppressNotUsedWarning();
      collector.backward(trainer.getLoss().evaluate(labels, trainer.forward(data)));
    }
  }

  /** The loss in inference mode; temporaries are freed. */
  static double loss(Trainer trainer, NDList data, NDList labels) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray loss = trainer.getLoss().evaluate(labels, trainer.evaluate(data));
      return loss.toType(DataType.FLOAT64, false).getDouble();
    }
  }

  /** A copy of every parameter's values, by full name. */
  static Map<String, float[]> snapshot(Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  /** Overwrites a parameter in place, with grad mode off (it may be a trainable leaf). */
  static void assign(Parameter parameter, float[] values) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      parameter.getArray().set(values);
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /** Copies every parameter of {@code from} into the same-named parameter of {@code to}. */
  static void copyParameters(Block from, Block to) {
    Map<String, Parameter> target = to.getParameters().toMap();
    for (Pair<String, Parameter> p : from.getParameters()) {
      assign(target.get(p.getKey()), p.getValue().getArray().toFloatArray());
    }
  }

  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
