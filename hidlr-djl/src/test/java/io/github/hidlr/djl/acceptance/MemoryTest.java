package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.Optimizers;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance (g): memory. 10,000 Hi-DLR steps (probing every step, two groups, SGD as the
 * base optimizer) on a tiny model leave the number of live NDArrays where it was after the
 * first steps, and the stepper's extra memory is one copy of the trainable parameters (the
 * frozen layer is not copied).
 */
class MemoryTest {

  private static final int STEPS = 10_000;
  private static final int WARM_UP = 5;
  private static final int N = 8;
  private static final int D = 3;

  /**
   * DJL's SGD goes through the differencing capture (a reused w_before buffer); hidlr's SGD
   * hands its update over directly and keeps no buffer between steps.
   */
  @ParameterizedTest(name = "direct capture: {0}")
  @ValueSource(booleans = {false, true})
  void tenThousandStepsLeakNoArrayAndBufferAtMostOneCopyOfTheTrainableParameters(boolean direct) {
    Engine.getInstance().setRandomSeed(2);
    try (Model model = Model.newInstance("tiny")) {
      model.setBlock(new SequentialBlock()
          .add(Linear.builder().setUnits(4).build())
          .add(Linear.builder().setUnits(1).build()));
      // The first layer is in no group and is frozen; the head is two groups.
      ParameterGroups groups = ParameterGroups.builder()
          .add(GroupSpec.pattern("weight", "02Linear_weight"))
          .add(GroupSpec.pattern("bias", "02Linear_bias"))
          .optRest(ParameterGroups.Rest.FREEZE).build();
      HiDlr.Builder builder = direct
          ? HiDlr.on(Optimizers.sgd().setLearningRate(1e-2f).build())
          : HiDlr.on(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1e-2f)).build(), 1e-2f);
      HiDlrOptimizer hidlr = builder.groups(groups).probesPerStep()
          .tuner(TunerConfig.hiDlr().setInitialRate(1e-2).optProbeEvery(1).build())
          .build(model, new HalfSquaredErrorLoss());
      try (Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
              .optOptimizer(hidlr))) {
        trainer.initialize(new Shape(N, D));
        assertThat(hidlr.groups().orElseThrow().frozenByRest())
            .containsExactly("01Linear_weight", "01Linear_bias");

        Random random = new Random(3);
        float[][] x = new float[N][D];
        float[][] y = new float[N][1];
        for (int i = 0; i < N; i++) {
          for (int j = 0; j < D; j++) {
            x[i][j] = (float) random.nextGaussian();
          }
          y[i][0] = x[i][0] - 2 * x[i][1] + 0.5f;
        }
        NDManager manager = trainer.getManager();
        NDList data = new NDList(manager.create(x));
        NDList labels = new NDList(manager.create(y));
        NDManager root = model.getNDManager();

        long[] live = new long[WARM_UP + 1];
        for (int t = 0; t < WARM_UP; t++) {
          Acceptance.backward(trainer, data, labels);
          Acceptance.step(trainer, hidlr, data, labels);
          live[t] = root.getManagedArrays().size();
        }
        // After the one-time growth of the first step (optimizer and gradient wrappers, the
        // w_before buffers), the count is flat.
        for (int t = 2; t < WARM_UP; t++) {
          assertThat(live[t]).as("live arrays after step %d (%s)", t, live[1])
              .isEqualTo(live[1]);
        }
        double lossBefore = Acceptance.loss(trainer, data, labels);
        long start = System.nanoTime();
        for (int t = WARM_UP; t < STEPS; t++) {
          Acceptance.backward(trainer, data, labels);
          Acceptance.step(trainer, hidlr, data, labels);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long after = root.getManagedArrays().size();
        assertThat(after).as("live arrays after %d steps (%d ms)", STEPS, millis)
            .isEqualTo(live[1]);
        assertThat(hidlr.tuner().orElseThrow().stepCount()).isEqualTo(STEPS);
        assertThat(Acceptance.loss(trainer, data, labels)).isLessThan(lossBefore);

        long trainableBytes = 0;
        long allBytes = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
          long bytes = p.getValue().getArray().size()
              * p.getValue().getArray().getDataType().getNumOfBytes();
          allBytes += bytes;
          if (p.getValue().requiresGradient()) {
            trainableBytes += bytes;
          }
        }
        assertThat(trainableBytes).isEqualTo(5 * Float.BYTES);
        assertThat(hidlr.bufferBytes()).as("w_before buffers (all parameters: %d)", allBytes)
            .isEqualTo(direct ? 0 : trainableBytes);
      }
    }
  }
}
