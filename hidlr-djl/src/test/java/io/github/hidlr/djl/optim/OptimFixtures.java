package io.github.hidlr.djl.optim;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tiny seeded models, training loops and state helpers shared by the optimizer tests. */
final class OptimFixtures {

  static final int SEED = 1234;
  static final int BATCH = 4;
  static final int IN = 3;
  static final int HIDDEN = 4;
  static final int OUT = 2;

  private OptimFixtures() {}

  /** A trained model with its trainer and the optimizer the trainer calls. */
  static final class Rig implements AutoCloseable {
    final Model model;
    final Trainer trainer;
    final Optimizer optimizer;

    Rig(Model model, Trainer trainer, Optimizer optimizer) {
      this.model = model;
      this.trainer = trainer;
      this.optimizer = optimizer;
    }

    Block block() {
      return model.getBlock();
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }

  /** Linear(4) → Linear(2) on inputs of width 3, seeded so every call gives the same weights. */
  static Block twoLayer(int hidden) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Linear.builder().setUnits(OUT).build());
  }

  static Rig rig(Optimizer optimizer) {
    return rig(optimizer, twoLayer(HIDDEN));
  }

  static Rig rig(Optimizer optimizer, Block block) {
    Model model = Model.newInstance("optim-test");
    model.setBlock(block);
    Trainer trainer =
        model.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
            .optOptimizer(optimizer));
    // Seed right before initialize so every rig starts from the same weights.
    Engine.getInstance().setRandomSeed(SEED);
    trainer.initialize(new Shape(BATCH, IN));
    return new Rig(model, trainer, optimizer);
  }

  /** Deterministic batch {@code k}: no RNG, so it is the same whatever ran before. */
  static float[] inputs(int k) {
    float[] x = new float[BATCH * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(0.7 * i + 1.3 * k + 0.1);
    }
    return x;
  }

  static float[] labels(int k) {
    float[] y = new float[BATCH * OUT];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) Math.cos(0.9 * i - 0.4 * k);
    }
    return y;
  }

  /** Runs forward, backward and {@code trainer.step()} on batches {@code from .. from+n-1}. */
  static void train(Rig rig, int from, int n) {
    for (int k = from; k < from + n; k++) {
      try (NDManager step = rig.trainer.getManager().newSubManager()) {
        NDArray x = step.create(inputs(k), new Shape(BATCH, IN));
        NDArray y = step.create(labels(k), new Shape(BATCH, OUT));
        try (GradientCollector gc = rig.trainer.newGradientCollector()) {
          NDList pred = rig.trainer.forward(new NDList(x));
          gc.backward(rig.trainer.getLoss().evaluate(new NDList(y), pred));
          // Inside the collector, as DJL's examples do: grad mode is on here.
          rig.trainer.step();
        }
      }
    }
  }

  /** Full name → values of every parameter. */
  static Map<String, float[]> weights(Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  /** Asserts every parameter of {@code actual} equals {@code expected}'s, bit for bit. */
  static void assertSameWeights(Block expected, Block actual) {
    Map<String, float[]> want = weights(expected);
    Map<String, float[]> got = weights(actual);
    for (String name : want.keySet()) {
      org.assertj.core.api.Assertions.assertThat(got.get(name)).as(name)
          .containsExactly(want.get(name));
    }
  }

  /** Copies every parameter of {@code from} into the same-named one of {@code to}, exactly. */
  static void copyWeights(Block from, Block to) {
    for (Pair<String, Parameter> p : from.getParameters()) {
      p.getValue().getArray().copyTo(to.getParameters().get(p.getKey()).getArray());
    }
  }

  static byte[] saveState(NdOptimizer optimizer, Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      optimizer.saveState(block, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static void loadState(NdOptimizer optimizer, Block block, NDManager manager, byte[] state) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      optimizer.loadState(block, manager, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
