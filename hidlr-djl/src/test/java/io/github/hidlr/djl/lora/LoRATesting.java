package io.github.hidlr.djl.lora;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared fixtures for the LoRA tests: small networks, SGD steps, snapshots. */
final class LoRATesting {

  static final int IN = 6;
  static final int HIDDEN = 16;
  static final int OUT = 3;

  private LoRATesting() {}

  /** A trainer with plain SGD at a fixed rate and the L2 loss. */
  static Trainer sgdTrainer(Model model, float learningRate, Shape inputShape) {
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(new HalfSquaredErrorLoss())
            .optOptimizer(
                Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build());
    Trainer trainer = model.newTrainer(config);
    trainer.initialize(inputShape);
    return trainer;
  }

  /** One forward, backward and SGD step on a fresh random batch. */
  static void step(Trainer trainer, Shape inputShape, long outFeatures) {
    try (NDManager batch = trainer.getManager().newSubManager()) {
      NDArray x = batch.randomNormal(inputShape);
      NDArray y = batch.randomNormal(new Shape(inputShape.get(0), outFeatures));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList prediction = trainer.forward(new NDList(x));
        collector.backward(trainer.getLoss().evaluate(new NDList(y), prediction));
        trainer.step();
      }
    }
  }

  /** A 2-hidden-layer MLP in → 16 → relu → 16 → relu → 3 (children 01 … 05). */
  static SequentialBlock mlp() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(OUT).build());
  }

  /** A model holding {@link #mlp()}, seeded and trained a few steps so its biases are not 0. */
  static Model pretrainedMlp(int seed) {
    Engine.getInstance().setRandomSeed(seed);
    Model model = Model.newInstance("pretrained");
    model.setBlock(mlp());
    Shape shape = new Shape(8, IN);
    try (Trainer trainer = sgdTrainer(model, 0.05f, shape)) {
      for (int i = 0; i < 3; i++) {
        step(trainer, shape, OUT);
      }
    }
    return model;
  }

  /** Inference-mode forward pass outside any trainer. */
  static NDArray forward(Block block, NDManager manager, NDArray x) {
    ParameterStore store = new ParameterStore(manager, false);
    return block.forward(store, new NDList(x), false).singletonOrThrow();
  }

  /** A copy of every parameter's values, by full name. */
  static Map<String, float[]> snapshot(Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  /** Overwrites a parameter's values in place (grad mode off: it may be a trainable leaf). */
  static void assign(Parameter parameter, float[] values) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      parameter.getArray().set(values);
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    float max = 0f;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
