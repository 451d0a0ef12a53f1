package io.github.hidlr.djl.baseline;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.Tensors;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.train.Checkpoint;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A convex problem trained by one optimizer or Hi-DLR preset: least squares with a {@code
 * Linear(1)} over 3 inputs (loss {@code ½·mean(r²)}, convex in weight and bias), 16 fixed rows,
 * mini-batches of 8 alternating halves. Seeded: every rig starts from the same weights.
 */
abstract class ContractRig implements AutoCloseable {

  static final int SEED = 4242;
  static final int ROWS = 16;
  static final int BATCH = 8;
  static final int IN = 3;
  private static final double[] W_STAR = {1.5, -2.0, 0.5};
  private static final double B_STAR = 0.7;

  final Model model;
  final Trainer trainer;

  ContractRig(Optimizer optimizer, Block block) {
    this(block, model -> optimizer);
  }

  /** A rig whose optimizer is built for the model once it has its block. */
  ContractRig(Block block, java.util.function.Function<Model, Optimizer> optimizer) {
    model = Model.newInstance("contract");
    model.setBlock(block);
    trainer = model.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
        .optOptimizer(optimizer.apply(model)));
    Engine.getInstance().setRandomSeed(SEED);
    trainer.initialize(new Shape(BATCH, IN));
  }

  static Block newBlock() {
    return Linear.builder().setUnits(1).build();
  }

  static float[] inputs(int from, int rows, boolean nan) {
    float[] x = new float[rows * IN];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < IN; j++) {
        x[r * IN + j] = (float) (1.5 * Math.sin(0.7 * (from + r) + 1.3 * j + 0.1));
      }
    }
    if (nan) {
      x[1] = Float.NaN;
    }
    return x;
  }

  static float[] labels(int from, int rows) {
    float[] x = inputs(from, rows, false);
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      double target = B_STAR;
      for (int j = 0; j < IN; j++) {
        target += W_STAR[j] * x[r * IN + j];
      }
      y[r] = (float) target;
    }
    return y;
  }

  /** One training step on batch {@code k}; {@code gradientScale} 0 gives a zero gradient. */
  final void step(int k, float gradientScale, boolean nan) {
    int from = (k % 2) * BATCH;
    try (NDManager batch = trainer.getManager().newSubManager()) {
      NDList x = new NDList(batch.create(inputs(from, BATCH, nan), new Shape(BATCH, IN)));
      NDList y = new NDList(batch.create(labels(from, BATCH), new Shape(BATCH, 1)));
      update(x, y, gradientScale);
    }
  }

  final void train(int from, int steps) {
    for (int k = from; k < from + steps; k++) {
      step(k, 1f, false);
    }
  }

  /** Forward, backward of {@code scale·loss}, and the optimizer's update. */
  abstract void update(NDList x, NDList y, float scale);

  /** Writes the weights and the optimizer's state into {@code dir}. */
  abstract void save(Path dir) throws IOException;

  /** Reads what {@link #save} wrote into this rig (built like the saving one). */
  abstract void restore(Path dir) throws IOException;

  /** The optimizer, when it reports an effective learning rate. */
  abstract EffectiveRate effectiveRate();

  final double loss() {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray x = scope.create(inputs(0, ROWS, false), new Shape(ROWS, IN));
      NDArray y = scope.create(labels(0, ROWS), new Shape(ROWS, 1));
      return trainer.getLoss().evaluate(new NDList(y), trainer.evaluate(new NDList(x))).getFloat();
    }
  }

  final Map<String, float[]> weights() {
    return weightsOf(model.getBlock());
  }

  /** The values of every parameter, by full name. */
  static Map<String, float[]> weightsOf(Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  final void backward(NDList x, NDList y, float scale, boolean stepInside, Runnable step) {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDArray loss = trainer.getLoss().evaluate(y, trainer.forward(x));
      collector.backward(scale == 1f ? loss : loss.mul(scale));
      if (stepInside) {
        // Inside the collector, as DJL's examples do: grad mode is on here.
        step.run();
      }
    }
    if (!stepInside) {
      step.run();
    }
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }

  /** Writes the weights by name. */
  static byte[] encodeWeights(Block block) {
    NDList list = new NDList();
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      array.setName(p.getKey());
      list.add(array);
    }
    return list.encode();
  }

  static void decodeWeights(Block block, NDManager manager, byte[] bytes) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scope = manager.newSubManager()) {
      for (NDArray saved : NDList.decode(scope, bytes)) {
        Tensors.assign(block.getParameters().get(saved.getName()).getArray(), saved);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** A plain optimizer stepped by {@code trainer.step()}. */
  static final class Plain extends ContractRig {
    final Optimizer optimizer;

    Plain(Function<Block, Optimizer> factory) {
      this(factory, newBlock());
    }

    private Plain(Function<Block, Optimizer> factory, Block block) {
      this(factory.apply(block), block);
    }

    private Plain(Optimizer optimizer, Block block) {
      super(optimizer, block);
      this.optimizer = optimizer;
    }

    @Override
    void update(NDList x, NDList y, float scale) {
      backward(x, y, scale, true, trainer::step);
    }

    @Override
    void save(Path dir) throws IOException {
      Files.write(dir.resolve("weights"), encodeWeights(model.getBlock()));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        ((NdOptimizer) optimizer).saveState(model.getBlock(), out);
      }
      Files.write(dir.resolve("optimizer"), bytes.toByteArray());
    }

    @Override
    void restore(Path dir) throws IOException {
      byte[] weights = Files.readAllBytes(dir.resolve("weights"));
      decodeWeights(model.getBlock(), model.getNDManager(), weights);
      byte[] state = Files.readAllBytes(dir.resolve("optimizer"));
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
        ((NdOptimizer) optimizer).loadState(model.getBlock(), model.getNDManager(), in);
      }
    }

    @Override
    EffectiveRate effectiveRate() {
      return optimizer instanceof EffectiveRate rate ? rate : null;
    }
  }

  /** Hi-DLR: the library's optimizer over hidlr's Adam, tuned per group. */
  static final class HiDlr extends ContractRig {
    final HiDlrOptimizer hidlr;

    HiDlr(TunerConfig config, ParameterGroups groups) {
      this(config, groups, new HiDlrOptimizer[1]);
    }

    private HiDlr(TunerConfig config, ParameterGroups groups, HiDlrOptimizer[] built) {
      super(newBlock(), model -> built[0] = io.github.hidlr.djl.HiDlr.adam(1f).groups(groups)
          .tuner(config).probesPerStep().build(model, new HalfSquaredErrorLoss()));
      hidlr = built[0];
    }

    @Override
    void update(NDList x, NDList y, float scale) {
      backward(x, y, scale, false, () -> {
        hidlr.probeOn(x, y);
        trainer.step();
      });
    }

    @Override
    void save(Path dir) throws IOException {
      Checkpoint.save(dir, model, hidlr, 0);
    }

    @Override
    void restore(Path dir) throws IOException {
      Checkpoint.restore(dir, model, hidlr);
    }

    @Override
    EffectiveRate effectiveRate() {
      return null;
    }


  }
}
