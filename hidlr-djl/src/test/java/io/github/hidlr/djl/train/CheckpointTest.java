package io.github.hidlr.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.core.tuner.TunerState;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving is atomic and restoring is all or nothing. */
class CheckpointTest {

  private static final int FEATURES = 5;

  /** A two-layer MLP, its trainer and Hi-DLR optimizer over one group, a few seeded steps. */
  private static final class Run implements AutoCloseable {
    final Model model;
    final Trainer trainer;
    final HiDlrOptimizer hidlr;

    Run(HiDlr.Builder base, TunerConfig config, int steps) {
      Engine.getInstance().setRandomSeed(5);
      model = Model.newInstance("mlp");
      model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(8).build())
          .add(Activation::relu).add(Linear.builder().setUnits(2).build()));
      Loss loss = Loss.softmaxCrossEntropyLoss();
      hidlr = base.tuner(config).probesPerStep().build(model, loss);
      trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(hidlr));
      trainer.initialize(new Shape(1, FEATURES));
      Random random = new Random(9);
      float[][] x = new float[64][FEATURES];
      float[] y = new float[64];
      for (int i = 0; i < 64; i++) {
        for (int j = 0; j < FEATURES; j++) {
          x[i][j] = (float) random.nextGaussian();
        }
        y[i] = x[i][0] + x[i][1] > 0 ? 1 : 0;
      }
      NDList data = new NDList(model.getNDManager().create(x));
      NDList labels = new NDList(model.getNDManager().create(y));
      for (int t = 0; t < steps; t++) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
          collector.backward(trainer.getLoss().evaluate(labels, trainer.forward(data)));
        }
        hidlr.probeOn(data, labels);
        trainer.step();
      }
    }

    Map<String, float[]> weights() {
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
        out.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
      return out;
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }

  private static TunerConfig config() {
    return TunerConfig.hiDlr().setInitialRate(0.05f).optProbeEvery(2).build();
  }

  private static NdOptimizer momentum() {
    return Optimizers.sgd().setLearningRate(0.05f).optMomentum(0.9f).build();
  }

  private static NdOptimizer plain() {
    return Optimizers.sgd().setLearningRate(0.05f).build();
  }

  private static void assertUnchanged(Run run, Map<String, float[]> weights, TunerState tuner) {
    run.weights().forEach((name, w) -> assertThat(w).as(name).containsExactly(weights.get(name)));
    assertThat(run.hidlr.tuner().orElseThrow().state().estimates())
        .containsExactly(tuner.estimates());
    assertThat(run.hidlr.tuner().orElseThrow().state().step()).isEqualTo(tuner.step());
  }

  @Test
  void aCheckpointOfAnotherOptimizerStateIsRefusedAndChangesNothing(@TempDir Path dir)
      throws IOException {
    try (Run saved = new Run(HiDlr.on(momentum()), config(), 6)) {
      Checkpoint.save(dir.resolve("ckpt"), saved.model, saved.hidlr, 1);
    }
    // Same optimizer class, no momentum buffer: its state cannot take the saved one.
    try (Run other = new Run(HiDlr.on(plain()), config(), 3)) {
      Map<String, float[]> weights = other.weights();
      TunerState tuner = other.hidlr.tuner().orElseThrow().state();
      assertThatThrownBy(() -> Checkpoint.restore(dir.resolve("ckpt"), other.model,
          other.hidlr)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing was changed");
      assertUnchanged(other, weights, tuner);
    }
  }

  @Test
  void aCheckpointOfAnotherTunerConfigurationIsRefusedAndChangesNothing(@TempDir Path dir)
      throws IOException {
    try (Run saved = new Run(HiDlr.on(momentum()), config(), 4)) {
      Checkpoint.save(dir, saved.model, saved.hidlr, 1);
    }
    TunerConfig paper = TunerConfig.paper().setInitialRate(0.05f).optProbeEvery(2).build();
    try (Run other = new Run(HiDlr.on(momentum()), paper, 2)) {
      Map<String, float[]> weights = other.weights();
      TunerState tuner = other.hidlr.tuner().orElseThrow().state();
      assertThatThrownBy(() -> Checkpoint.restore(dir, other.model, other.hidlr))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another tuner configuration").hasMessageContaining("jointScale");
      assertUnchanged(other, weights, tuner);
    }
  }

  @Test
  void anInterruptedSaveLeavesThePreviousCheckpoint(@TempDir Path dir) throws IOException {
    Path checkpoint = dir.resolve("ckpt");
    Map<String, float[]> first;
    try (Run run = new Run(HiDlr.on(momentum()), config(), 4)) {
      Checkpoint.save(checkpoint, run.model, run.hidlr, 2);
      first = run.weights();
    }
    // A save that died half-way left its staging folder behind; the checkpoint is intact.
    Files.createDirectories(dir.resolve("ckpt.partial"));
    Files.writeString(dir.resolve("ckpt.partial").resolve("parameters.ndlist"), "half");
    try (Run fresh = new Run(HiDlr.on(momentum()), config(), 0)) {
      assertThat(Checkpoint.restore(checkpoint, fresh.model, fresh.hidlr)).isEqualTo(2);
      fresh.weights().forEach((name, w) -> assertThat(w).as(name)
          .containsExactly(first.get(name)));
      // and the next save replaces the staging folder and the checkpoint.
      assertTheNextSaveReplacesWhatWasLeft(checkpoint, fresh);
    }
  }

  /** Saves {@code from} at epoch 3 and restores it: nothing of an interrupted save is left. */
  private static void assertTheNextSaveReplacesWhatWasLeft(Path checkpoint, Run from)
      throws IOException {
    Checkpoint.save(checkpoint, from.model, from.hidlr, 3);
    try (Run again = new Run(HiDlr.on(momentum()), config(), 0)) {
      assertThat(Checkpoint.restore(checkpoint, again.model, again.hidlr)).isEqualTo(3);
    }
    assertNothingBeside(checkpoint);
  }

  /** No staging or previous folder of a save is left beside {@code checkpoint}. */
  private static void assertNothingBeside(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    assertThat(checkpoint.resolveSibling(name + ".partial")).doesNotExist();
    assertThat(checkpoint.resolveSibling(name + ".previous")).doesNotExist();
  }

  /** Saving replaces the whole folder: one that holds anything else is refused, untouched. */
  @Test
  void savingIntoAFolderThatHoldsOtherFilesIsRefusedAndDeletesNothing(@TempDir Path dir)
      throws IOException {
    Path run = dir.resolve("run");
    Files.createDirectories(run.resolve("logs"));
    Files.writeString(run.resolve("notes.txt"), "keep me");
    Files.writeString(run.resolve("logs").resolve("train.log"), "keep me too");
    try (Run training = new Run(HiDlr.on(momentum()), config(), 2)) {
      assertThatThrownBy(() -> Checkpoint.save(run, training.model, training.hidlr, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("logs").hasMessageContaining("a folder of its own");
    }
    assertThat(run.resolve("notes.txt")).hasContent("keep me");
    assertThat(run.resolve("logs").resolve("train.log")).hasContent("keep me too");
    assertNothingBeside(run);
  }

  /**
   * A save that died between its two renames leaves the folder missing and the last complete
   * checkpoint beside it: restoring says where it is, and the next save puts it back first.
   */
  @Test
  void aSaveInterruptedBetweenItsRenamesIsNamedAndTheNextSaveRecoversIt(@TempDir Path dir)
      throws IOException {
    Path checkpoint = dir.resolve("ckpt");
    try (Run run = new Run(HiDlr.on(momentum()), config(), 4)) {
      Checkpoint.save(checkpoint, run.model, run.hidlr, 2);
    }
    Files.move(checkpoint, dir.resolve("ckpt.previous"));
    Files.createDirectories(dir.resolve("ckpt.partial"));
    try (Run fresh = new Run(HiDlr.on(momentum()), config(), 0)) {
      assertThatThrownBy(() -> Checkpoint.restore(checkpoint, fresh.model, fresh.hidlr))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ckpt.previous").hasMessageContaining("rename");
      assertTheNextSaveReplacesWhatWasLeft(checkpoint, fresh);
    }
  }

  @Test
  void anOptimizerWhoseStateCannotBeSavedIsRefused(@TempDir Path dir) {
    // DJL's SGD can be Hi-DLR's base (differenced), but hidlr cannot save or set its state.
    Optimizer djlSgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build();
    try (Run run = new Run(HiDlr.on(djlSgd, 0.05f), config(), 2)) {
      assertThatThrownBy(() -> Checkpoint.save(dir, run.model, run.hidlr, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot checkpoint the base optimizer")
          .hasMessageContaining("Optimizers");
    }
    assertThat(dir.resolve(Checkpoint.MANIFEST)).doesNotExist();
  }

  @Test
  void aCorruptParameterFileChangesNothing(@TempDir Path dir) throws IOException {
    try (Run saved = new Run(HiDlr.on(momentum()), config(), 4)) {
      Checkpoint.save(dir, saved.model, saved.hidlr, 1);
    }
    byte[] bytes = Files.readAllBytes(dir.resolve("parameters.ndlist"));
    bytes[bytes.length / 3] ^= 0x33;
    Files.write(dir.resolve("parameters.ndlist"), bytes);
    try (Run other = new Run(HiDlr.on(momentum()), config(), 2)) {
      Map<String, float[]> weights = other.weights();
      TunerState tuner = other.hidlr.tuner().orElseThrow().state();
      assertThatThrownBy(() -> Checkpoint.restore(dir, other.model, other.hidlr))
          .hasMessageContaining("CRC-32");
      assertUnchanged(other, weights, tuner);
    }
  }
}
