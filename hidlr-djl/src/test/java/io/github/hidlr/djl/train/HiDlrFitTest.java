package io.github.hidlr.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.hidlr.core.tuner.FreezePolicy;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.ThreeClasses;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiDlrFitTest {

  private static final int N = 192;
  private static final int FEATURES = ThreeClasses.FEATURES;
  private static final int CLASSES = ThreeClasses.CLASSES;

  /** A model, its trainer and Hi-DLR optimizer, and synthetic data, all seeded. */
  private static final class Run implements AutoCloseable {
    final Model model;
    final Trainer trainer;
    final HiDlrOptimizer hidlr;
    final ArrayDataset train;
    final ArrayDataset validation;

    Run(TunerConfig config) {
      Engine.getInstance().setRandomSeed(11);
      model = Model.newInstance("mlp");
      model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(16).build())
          .add(Activation::relu).add(Linear.builder().setUnits(CLASSES).build()));
      ParameterGroups groups = ParameterGroups.builder()
          .add(GroupSpec.pattern("hidden", "01Linear_.*"))
          .add(GroupSpec.pattern("head", "03Linear_.*")).build();
      Loss loss = Loss.softmaxCrossEntropyLoss();
      hidlr = HiDlr.on(Optimizers.sgd().setLearningRate(0.1f).optMomentum(0.9f).build())
          .groups(groups).tuner(config).probesPerStep().build(model, loss);
      trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(hidlr));
      trainer.initialize(new Shape(1, FEATURES));
      NDManager manager = model.getNDManager();
      train = dataset(manager, 1);
      validation = dataset(manager, 2);
    }

    private static ArrayDataset dataset(NDManager manager, long seed) {
      NDArray[] xy = ThreeClasses.data(manager, N, seed);
      return new ArrayDataset.Builder().setData(xy[0]).optLabels(xy[1]).setSampling(32, true)
          .build();
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
    return TunerConfig.paper().setInitialRate(0.05).optProbeEvery(2).build();
  }

  @Test
  void trainsReportsEveryProbeAndLowersTheValidationLoss() {
    try (Run run = new Run(config())) {
      List<StepEvent> events = new ArrayList<>();
      FitResult result = HiDlrFit.builder().setEpochs(4).optSeed(3)
          .addListener(new HiDlrListener() {
            @Override
            public void onStep(StepEvent event) {
              events.add(event);
            }
          }).build().fit(run.trainer, run.hidlr, run.train, run.validation);
      assertThat(result.steps()).isEqualTo(4 * (N / 32));
      assertThat(events).hasSize((int) result.steps());
      long probes = events.stream().filter(e -> e.outcome().report().isPresent()).count();
      assertThat(probes).isEqualTo(result.steps() / 2);
      events.stream().flatMap(e -> e.outcome().report().stream()).forEach(report ->
          assertThat(report.groups()).extracting(g -> g.group()).containsExactly("hidden", "head"));
      double first = result.epochs().get(0).validationLoss();
      double last = result.epochs().get(3).validationLoss();
      assertThat(last).isLessThan(0.7 * first);
      double[] rates = result.epochs().get(3).rates();
      assertThat(rates).hasSize(2);
      assertThat(rates[0]).isPositive();
      assertThat(rates[1]).isPositive();
    }
  }

  @Test
  void resumingFromACheckpointRepeatsTheRunBitForBit(@TempDir Path dir) throws IOException {
    Map<String, float[]> uninterrupted;
    try (Run run = new Run(config())) {
      HiDlrFit.builder().setEpochs(3).optSeed(3).build()
          .fit(run.trainer, run.hidlr, run.train, null);
      uninterrupted = run.weights();
    }
    try (Run first = new Run(config())) {
      HiDlrFit.builder().setEpochs(2).optSeed(3).optCheckpointDir(dir).build()
          .fit(first.trainer, first.hidlr, first.train, null);
    }
    try (Run resumed = new Run(config())) {
      int next = Checkpoint.restore(dir, resumed.model, resumed.hidlr);
      assertThat(next).isEqualTo(2);
      HiDlrFit.builder().setEpochs(3).optStartEpoch(next).optSeed(3).build()
          .fit(resumed.trainer, resumed.hidlr, resumed.train, null);
      Map<String, float[]> weights = resumed.weights();
      for (Map.Entry<String, float[]> entry : uninterrupted.entrySet()) {
        assertThat(weights.get(entry.getKey())).as(entry.getKey())
            .containsExactly(entry.getValue());
      }
    }
  }

  /** A checkpoint folder that a save would refuse is refused before the first epoch trains. */
  @Test
  void aCheckpointFolderHoldingOtherFilesIsRefusedBeforeTraining(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    try (Run run = new Run(config())) {
      Map<String, float[]> before = run.weights();
      assertThatThrownBy(() -> HiDlrFit.builder().setEpochs(1).optCheckpointDir(dir).build()
          .fit(run.trainer, run.hidlr, run.train, null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notes.txt");
      before.forEach((name, w) -> assertThat(run.weights().get(name)).as(name)
          .containsExactly(w));
      // A path written with "." is the same folder, saved beside as usual.
      Path ckpt = dir.resolve("ckpt");
      Checkpoint.save(ckpt.resolve("."), run.model, run.hidlr, 1);
      assertThat(Checkpoint.restore(ckpt, run.model, run.hidlr)).isEqualTo(1);
    }
    assertThat(dir.resolve("notes.txt")).hasContent("keep me");
  }

  @Test
  void corruptMissingAndMismatchedCheckpointsAreClearErrors(@TempDir Path dir)
      throws IOException {
    try (Run run = new Run(config())) {
      assertThatThrownBy(() -> Checkpoint.restore(dir, run.model, run.hidlr))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no checkpoint");
      Checkpoint.save(dir, run.model, run.hidlr, 1);
      byte[] bytes = Files.readAllBytes(dir.resolve("parameters.ndlist"));
      bytes[bytes.length / 2] ^= 0x5A;
      Files.write(dir.resolve("parameters.ndlist"), bytes);
      assertThatThrownBy(() -> Checkpoint.restore(dir, run.model, run.hidlr))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("corrupt checkpoint")
          .hasMessageContaining("parameters.ndlist fails its CRC-32 check");
    }
    try (Run run = new Run(config())) {
      Checkpoint.save(dir, run.model, run.hidlr, 1);
    }
    Engine.getInstance().setRandomSeed(11);
    try (Model other = Model.newInstance("other")) {
      other.setBlock(Linear.builder().setUnits(CLASSES).build());
      Loss loss = Loss.softmaxCrossEntropyLoss();
      HiDlrOptimizer hidlr = HiDlr.on(Optimizers.sgd().setLearningRate(0.1f).optMomentum(0.9f)
          .build()).tuner(config()).probesPerStep().build(other, loss);
      try (Trainer trainer = other.newTrainer(
          new DefaultTrainingConfig(loss).optOptimizer(hidlr))) {
        trainer.initialize(new Shape(1, FEATURES));
        assertThatThrownBy(() -> Checkpoint.restore(dir, other, hidlr))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("tuner state was saved for groups [hidden=112, head=51]");
      }
    }
  }

  @Test
  void influenceFreezingStopsGroupsAndReportsTheTime() {
    TunerConfig freezing = TunerConfig.hiDlr().setInitialRate(0.05).optProbeEvery(1)
        .optFreeze(new FreezePolicy(1e12, 6, 1)).build();
    try (Run run = new Run(freezing)) {
      FitResult result = HiDlrFit.builder().setEpochs(2).optSeed(3).build()
          .fit(run.trainer, run.hidlr, run.train, null);
      // everything is below ψ = 1e12, so all but the most influential group freeze at step 6
      assertThat(result.frozen()).isNotEmpty().allSatisfy(f -> assertThat(f.step()).isEqualTo(6));
      List<String> frozenNames = result.frozen().stream().map(FitResult.FrozenParameter::name)
          .toList();
      assertThat(frozenNames).allSatisfy(name -> assertThat(
          run.model.getBlock().getParameters().get(name).requiresGradient()).isFalse());
      assertThat(result.meanStepMillisAfterFreeze()).isPositive();
      assertThat(result.meanStepMillisBeforeFreeze()).isPositive();
      Map<String, float[]> before = run.weights();
      HiDlrFit.builder().setEpochs(1).optSeed(9).build()
          .fit(run.trainer, run.hidlr, run.train, null);
      Map<String, float[]> after = run.weights();
      for (String name : before.keySet()) {
        if (frozenNames.contains(name)) {
          assertThat(after.get(name)).as(name).containsExactly(before.get(name));
        } else {
          assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
        }
      }
    }
  }

  @Test
  void fixedProbeSetIsUsedForEveryProbe() {
    try (Run run = new Run(config())) {
      NDManager manager = run.model.getNDManager();
      NDArray x = manager.randomNormal(new Shape(8, FEATURES));
      NDArray y = manager.create(new float[] {0, 1, 2, 0, 1, 2, 0, 1});
      List<Double> l0 = new ArrayList<>();
      HiDlrFit.builder().setEpochs(1).optFixedProbe(new NDList(x), new NDList(y))
          .addListener(new HiDlrListener() {
            @Override
            public void onStep(StepEvent event) {
              event.outcome().report().ifPresent(r -> l0.add(r.l0()));
            }
          }).build().fit(run.trainer, run.hidlr, run.train, null);
      assertThat(l0).hasSize(3);
      assertThat(HiDlrFit.evaluate(run.trainer, run.validation)).isFinite();
      assertThatThrownBy(() -> HiDlrFit.builder().optProbeBatch(ProbeBatch.FIXED))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optFixedProbe");
    }
  }
}
