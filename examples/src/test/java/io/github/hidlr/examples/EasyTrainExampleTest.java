package io.github.hidlr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EasyTrainExampleTest {

  private static final int EPOCHS = 6;

  @Test
  void hiDlrWithEasyTrainLearnsTwoRatesAndBeatsAdamAtItsInitialRate() throws Exception {
    EasyTrainExample.Outcome outcome = EasyTrainExample.train(EPOCHS, 42);
    double plain = plainAdam(EPOCHS, 42);
    assertThat(outcome.groups()).containsExactly("hidden", "head");
    assertThat(outcome.rates()[0]).isNotEqualTo(outcome.rates()[1]);
    assertThat(outcome.validationAccuracy()).isGreaterThan(plain + 0.03);
  }

  /** The same model, data and epochs with DJL's Adam at 1e-3, the initial rate of Hi-DLR. */
  private static double plainAdam(int epochs, long seed) throws Exception {
    Engine.getInstance().setRandomSeed((int) seed);
    try (Model model = Model.newInstance("mlp")) {
      model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(64).build())
          .add(Activation::relu).add(Linear.builder().setUnits(EasyTrainExample.CLASSES).build()));
      ArrayDataset trainSet = EasyTrainExample.dataset(model.getNDManager(), 2048, seed);
      ArrayDataset validationSet = EasyTrainExample.dataset(model.getNDManager(), 1024, seed + 1);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(
          Loss.softmaxCrossEntropyLoss()).optOptimizer(adam).addEvaluator(new Accuracy())
          .addTrainingListeners(TrainingListener.Defaults.basic()))) {
        trainer.initialize(new Shape(1, EasyTrainExample.FEATURES));
        EasyTrain.fit(trainer, epochs, trainSet, validationSet);
        return trainer.getTrainingResult().getValidateEvaluation("Accuracy");
      }
    }
  }

  @Test
  void theReadmeShowsTheExampleAsItIs() throws Exception {
    Path source = Path.of("src/main/java/io/github/hidlr/examples/EasyTrainExample.java");
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    int begin = lines.indexOf("      // README:begin");
    int end = lines.indexOf("      // README:end");
    assertThat(begin).isPositive();
    assertThat(end).isGreaterThan(begin);
    StringBuilder snippet = new StringBuilder();
    for (String line : lines.subList(begin + 1, end)) {
      snippet.append(line.length() >= 6 ? line.substring(6) : line.strip()).append('\n');
    }
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    assertThat(readme).as("README.md must show EasyTrainExample's lines between README:begin"
        + " and README:end, unindented by 6 spaces").contains(snippet.toString());
  }
}
