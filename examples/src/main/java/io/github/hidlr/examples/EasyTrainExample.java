package io.github.hidlr.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Hi-DLR in an ordinary DJL training run: an MLP trained with {@code EasyTrain.fit}, the hidden
 * layer and the head each getting their own learning rate. The README's library section shows
 * the lines between {@code README:begin} and {@code README:end}.
 *
 * <p>{@code mvn verify} runs it ({@code EasyTrainExampleTest}); its {@link #main} prints the
 * rates and the validation accuracy.
 */
public final class EasyTrainExample {

  /** Input features. */
  public static final int FEATURES = 8;
  /** Classes. */
  public static final int CLASSES = 4;

  private EasyTrainExample() {}

  /**
   * What a run produced.
   *
   * @param validationAccuracy the accuracy on the validation set after the last epoch
   * @param groups the group names
   * @param rates the last step's rate per group
   */
  public record Outcome(double validationAccuracy, java.util.List<String> groups, double[] rates) {}

  /**
   * Trains the MLP with Hi-DLR over Adam.
   *
   * @param epochs passes over the training set
   * @param seed seeds the weights, the data and the batch order
   * @return the validation accuracy and the learned rates
   * @throws IOException if a dataset cannot be read
   * @throws TranslateException if a batch cannot be built
   */
  public static Outcome train(int epochs, long seed) throws IOException, TranslateException {
    Engine.getInstance().setRandomSeed((int) seed);
    try (Model model = Model.newInstance("mlp")) {
      Linear hidden = Linear.builder().setUnits(64).build();
      Linear head = Linear.builder().setUnits(CLASSES).build();
      model.setBlock(new SequentialBlock().add(hidden).add(Activation::relu).add(head));
      ArrayDataset trainSet = dataset(model.getNDManager(), 2048, seed);
      ArrayDataset validationSet = dataset(model.getNDManager(), 1024, seed + 1);

      // README:begin
      Loss loss = Loss.softmaxCrossEntropyLoss();
      HiDlrOptimizer hidlr = HiDlr.adam(1e-3f)
          .groups(ParameterGroups.builder().add(GroupSpec.block("hidden", hidden))
              .add(GroupSpec.block("head", head)).build())
          .probes(trainSet)
          .build(model, loss);
      Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(hidlr)
          .addEvaluator(new Accuracy()).addTrainingListeners(TrainingListener.Defaults.basic()));
      trainer.initialize(new Shape(1, FEATURES));
      EasyTrain.fit(trainer, epochs, trainSet, validationSet);
      // README:end
      try (trainer) {
        TrainingResult result = trainer.getTrainingResult();
        return new Outcome(result.getValidateEvaluation("Accuracy"), hidlr.groupNames(),
            hidlr.lastStep().orElseThrow().rates());
      }
    }
  }

  /**
   * A seeded classification problem no linear model solves: the class of a point is the
   * largest of four nonlinear scores of its features.
   *
   * @param manager where the arrays live
   * @param size number of examples
   * @param seed the data's seed
   * @return the dataset, batches of 32, shuffled
   */
  public static ArrayDataset dataset(NDManager manager, int size, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[size][FEATURES];
    float[] y = new float[size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      double[] scores = {
        x[i][0] * x[i][1], Math.abs(x[i][2]) - 0.8, Math.sin(2 * x[i][3]) + x[i][4],
        x[i][5] * x[i][5] - x[i][6] - 1};
      int best = 0;
      for (int c = 1; c < CLASSES; c++) {
        best = scores[c] > scores[best] ? c : best;
      }
      y[i] = best;
    }
    NDArray data = manager.create(x);
    NDArray labels = manager.create(y);
    return new ArrayDataset.Builder().setData(data).optLabels(labels).setSampling(32, true)
        .build();
  }

  /**
   * Trains for 10 epochs and prints the outcome.
   *
   * @param args unused
   * @throws IOException if a dataset cannot be read
   * @throws TranslateException if a batch cannot be built
   */
  public static void main(String[] args) throws IOException, TranslateException {
    Outcome outcome = train(10, 42);
    System.out.printf(Locale.ROOT, "validation accuracy %.3f, rates %s = %s%n",
        outcome.validationAccuracy(), outcome.groups(), Arrays.toString(outcome.rates()));
  }
}
