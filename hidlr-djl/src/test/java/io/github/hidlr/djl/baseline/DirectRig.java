package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import java.util.function.Function;

/**
 * A {@code Linear(2)} block over 3 inputs (weight 2×3, bias 2: 8 numbers) whose parameters are
 * updated by calling {@link Optimizer#update} directly with fixed gradients, weight then bias, as
 * DJL's parameter store does once per step.
 */
final class DirectRig implements AutoCloseable {

  static final float[] W0 = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f, 0.1f, -0.3f};

  /** Fixed gradients; the first has a zero entry, and they change sign, which d must survive. */
  static final float[][] GRADS = {
    {0.3f, -0.8f, 0.0f, 0.6f, -0.2f, 0.9f, 0.4f, -0.5f},
    {0.5f, -0.6f, 0.3f, 0.4f, -0.1f, 0.7f, 0.2f, -0.6f},
    {0.2f, -0.9f, 0.6f, 0.5f, -0.3f, 0.8f, 0.5f, -0.2f},
    {0.4f, -0.3f, 0.25f, 0.7f, -0.4f, 0.6f, 0.1f, -0.4f},
    {-0.7f, 0.05f, -0.9f, 0.2f, 0.3f, -0.2f, 0.6f, 0.1f},
    {0.6f, -0.7f, 0.4f, 0.3f, -0.5f, 0.5f, 0.3f, -0.3f},
  };

  final NDManager manager;
  final Block block;
  final Parameter weight;
  final Parameter bias;
  final Optimizer optimizer;

  DirectRig(NDManager parent, Function<Block, Optimizer> factory) {
    manager = parent.newSubManager();
    block = Linear.builder().setUnits(2).build();
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    weight = block.getParameters().get("weight");
    bias = block.getParameters().get("bias");
    float[] w = new float[6];
    float[] b = new float[2];
    System.arraycopy(W0, 0, w, 0, 6);
    System.arraycopy(W0, 6, b, 0, 2);
    weight.getArray().set(w);
    bias.getArray().set(b);
    optimizer = factory.apply(block);
  }

  /** One step with gradient {@code g} (8 numbers): weight, then bias. */
  void step(float[] g) {
    float[] gw = new float[6];
    float[] gb = new float[2];
    System.arraycopy(g, 0, gw, 0, 6);
    System.arraycopy(g, 6, gb, 0, 2);
    try (NDArray gradW = manager.create(gw, new Shape(2, 3));
        NDArray gradB = manager.create(gb, new Shape(2))) {
      optimizer.update(weight.getId(), weight.getArray(), gradW);
      optimizer.update(bias.getId(), bias.getArray(), gradB);
    }
  }

  float[] values() {
    float[] out = new float[8];
    System.arraycopy(weight.getArray().toFloatArray(), 0, out, 0, 6);
    System.arraycopy(bias.getArray().toFloatArray(), 0, out, 6, 2);
    return out;
  }

  static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
