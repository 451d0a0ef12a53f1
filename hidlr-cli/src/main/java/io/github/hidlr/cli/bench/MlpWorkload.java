package io.github.hidlr.cli.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's workload: an MLP 784-512-512-10 (ReLU) with softmax cross-entropy, trained on
 * synthetic data made in-process — Gaussian inputs of shape {@code (n, 784)} labelled by the
 * arg-max of a fixed random linear teacher {@code 784 → 10} — so nothing is downloaded and
 * every run sees the same numbers for the same seed.
 *
 * <p>DJL names the parameters by position: the layers are children 1, 3 and 5 of the
 * sequential block (the ReLUs are 2 and 4), hence {@code 01Linear_weight},
 * {@code 03Linear_bias}, {@code 05Linear_weight} and so on. {@link #groups(int)} holds the
 * grouping used for each {@code K}.
 */
final class MlpWorkload implements AutoCloseable {

  /** Input features. */
  static final int INPUTS = 784;
  /** Hidden units of both hidden layers. */
  static final int HIDDEN = 512;
  /** Classes. */
  static final int CLASSES = 10;
  /** The model's name in reports. */
  static final String NAME = "mlp-784-512-512-10";

  /** The training loss, softmax cross-entropy. */
  static final Loss LOSS = Loss.softmaxCrossEntropyLoss();

  private static final String W1 = "01Linear_weight";
  private static final String B1 = "01Linear_bias";
  private static final String W2 = "03Linear_weight";
  private static final String B2 = "03Linear_bias";
  private static final String W3 = "05Linear_weight";
  private static final String B3 = "05Linear_bias";

  private final NDManager manager;
  private final List<NDList> inputs;
  private final List<NDList> labels;
  private final int batch;
  private final long seed;

  private MlpWorkload(NDManager manager, List<NDList> inputs, List<NDList> labels, int batch,
      long seed) {
    this.manager = manager;
    this.inputs = inputs;
    this.labels = labels;
    this.batch = batch;
    this.seed = seed;
  }

  /**
   * Makes {@code batches} mini-batches of {@code batch} examples.
   *
   * @param batch examples per mini-batch
   * @param batches number of distinct mini-batches
   * @param seed seed of the inputs and the teacher
   * @return the workload, owning the data's manager
   */
  static MlpWorkload synthetic(int batch, int batches, long seed) {
    Random random = new Random(seed);
    float[][] teacher = new float[INPUTS][CLASSES];
    double scale = 1 / Math.sqrt(INPUTS);
    for (float[] row : teacher) {
      for (int c = 0; c < CLASSES; c++) {
        row[c] = (float) (scale * random.nextGaussian());
      }
    }
    NDManager manager = NDManager.newBaseManager();
    List<NDList> inputs = new ArrayList<>(batches);
    List<NDList> labels = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      float[] x = new float[batch * INPUTS];
      float[] y = new float[batch];
      for (int i = 0; i < batch; i++) {
        double[] logits = new double[CLASSES];
        for (int j = 0; j < INPUTS; j++) {
          float v = (float) random.nextGaussian();
          x[i * INPUTS + j] = v;
          for (int c = 0; c < CLASSES; c++) {
            logits[c] += v * teacher[j][c];
          }
        }
        int best = 0;
        for (int c = 1; c < CLASSES; c++) {
          best = logits[c] > logits[best] ? c : best;
        }
        y[i] = best;
      }
      inputs.add(new NDList(manager.create(x, new Shape(batch, INPUTS))));
      labels.add(new NDList(manager.create(y, new Shape(batch))));
    }
    return new MlpWorkload(manager, inputs, labels, batch, seed);
  }

  /**
   * The mini-batch size.
   *
   * @return the batch size
   */
  int batch() {
    return batch;
  }

  /**
   * Inputs of mini-batch {@code i} (cycling).
   *
   * @param i any step index
   * @return the inputs
   */
  NDList inputs(long i) {
    return inputs.get((int) (i % inputs.size()));
  }

  /**
   * Labels of mini-batch {@code i} (cycling).
   *
   * @param i any step index
   * @return the class indices
   */
  NDList labels(long i) {
    return labels.get((int) (i % labels.size()));
  }

  /**
   * A fresh model whose trainer uses {@code optimizer}, initialised from the workload's seed
   * (two trainers made by this method start from identical weights).
   *
   * @param model an empty model, which receives the block
   * @param optimizer the trainer's optimizer, built for the model once it has its block
   * @return the initialised trainer
   */
  Trainer newTrainer(Model model, java.util.function.Function<Model, Optimizer> optimizer) {
    model.setBlock(new SequentialBlock()
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(CLASSES).build()));
    Trainer trainer = model.newTrainer(
        new DefaultTrainingConfig(LOSS).optOptimizer(optimizer.apply(model)));
    Engine.getInstance().setRandomSeed((int) seed);
    trainer.initialize(new Shape(batch, INPUTS));
    return trainer;
  }

  /**
   * The grouping used for {@code K} groups:
   * <ul>
   *   <li>{@code K = 1}: every parameter (GeN's uniform rate);
   *   <li>{@code K = 2}: the three weight matrices | the three biases;
   *   <li>{@code K = 4}: one group per weight matrix ({@code w1}, {@code w2}, {@code w3}) |
   *       all biases;
   *   <li>{@code K = 8}: {@code w1}, {@code b1}, {@code w2}, {@code b2}, {@code b3} as whole
   *       tensors, and the head's weight {@code w3} cut into three row slices (classes 0–3,
   *       4–6, 7–9), the multi-task-head pattern of the paper; it exercises the row-slice path
   *       of the stepper on a small tensor.
   * </ul>
   *
   * @param k the number of groups
   * @return the grouping
   */
  static ParameterGroups groups(int k) {
    return switch (k) {
      case 1 -> ParameterGroups.single("all");
      case 2 -> ParameterGroups.builder()
          .add(GroupSpec.kind("weights", ParameterKind.WEIGHT))
          .add(GroupSpec.kind("biases", ParameterKind.BIAS))
          .build();
      case 4 -> ParameterGroups.builder()
          .add(GroupSpec.pattern("w1", W1))
          .add(GroupSpec.pattern("w2", W2))
          .add(GroupSpec.pattern("w3", W3))
          .add(GroupSpec.kind("biases", ParameterKind.BIAS))
          .build();
      case 8 -> ParameterGroups.builder()
          .add(GroupSpec.pattern("w1", W1))
          .add(GroupSpec.pattern("b1", B1))
          .add(GroupSpec.pattern("w2", W2))
          .add(GroupSpec.pattern("b2", B2))
          .add(GroupSpec.slice("w3_classes0-3", W3, 0, 4))
          .add(GroupSpec.slice("w3_classes4-6", W3, 4, 7))
          .add(GroupSpec.slice("w3_classes7-9", W3, 7, 10))
          .add(GroupSpec.pattern("b3", B3))
          .build();
      default -> throw new IllegalArgumentException("no grouping for K = " + k + "; choose from "
          + BenchOptions.KNOWN_GROUP_COUNTS);
    };
  }

  /**
   * A one-line description of a grouping, for reports.
   *
   * @param k the number of groups
   * @return the groups and what they hold
   */
  static String describeGroups(int k) {
    return switch (k) {
      case 1 -> "all";
      case 2 -> "weights | biases";
      case 4 -> "w1 | w2 | w3 | biases";
      case 8 -> "w1 | b1 | w2 | b2 | w3 rows 0-3 | w3 rows 4-6 | w3 rows 7-9 | b3";
      default -> "?";
    };
  }

  /**
   * A sample of the loss on one batch, for reports.
   *
   * @param trainer any trainer of this workload
   * @return the loss on batch 0 in inference mode
   */
  double loss(Trainer trainer) {
    // Results of ops on the batch land in the data's manager: the scope frees them.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray loss = trainer.getLoss().evaluate(labels(0), trainer.evaluate(inputs(0)));
      return loss.getFloat();
    }
  }

  /** Frees the data. */
  @Override
  public void close() {
    manager.close();
  }
}
