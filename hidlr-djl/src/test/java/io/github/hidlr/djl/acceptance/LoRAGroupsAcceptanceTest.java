package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.StepOutcome;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.lora.LoRA;
import io.github.hidlr.djl.lora.LoRAGroups;
import io.github.hidlr.djl.lora.LoRAWrapped;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Acceptance (c), after the paper's LoRA experiment (synthetic regression, as in LoRA+): a
 * pretrained linear network {@code x → W₀x + b₀ → V(·) + c}; the teacher fine-tunes the first
 * layer by a rank-2 update, {@code W = W₀ + U Qᵀ}. The student wraps the first layer in LoRA
 * ({@code W₀ + B A}, B = 0 at the start), freezes the head, and trains two groups, A and B,
 * with SGD as the base optimizer. Because {@code B A} is bilinear, the curvature along A grows
 * with {@code |B|²} and the curvature along B with {@code |A x|²}, so the two greedy rates
 * differ; LoRA+ prescribes {@code η_B > η_A}.
 */
class LoRAGroupsAcceptanceTest {

  private static final int IN = 32;
  private static final int HIDDEN = 16;
  private static final int OUT = 4;
  private static final int RANK = 2;
  private static final int N = 512;
  private static final int STEPS = 60;
  private static final int SEED = 21;
  /** Size of the teacher's update relative to the pretrained layer. */
  private static final double UPDATE_SCALE = 2;

  private record Run(double initialLoss, double[] losses, List<double[]> rates, LoRAGroups groups) {}

  /** Trains A and B with one rate each, or with one rate shared by both (Hi-ULR). */
  private static Run train(boolean oneRatePerGroup) {
    Engine.getInstance().setRandomSeed(SEED);
    try (NDManager pretrainedManager = NDManager.newBaseManager();
        Model model = Model.newInstance("lora")) {
      SequentialBlock pretrained = new SequentialBlock()
          .add(Linear.builder().setUnits(HIDDEN).build())
          .add(Linear.builder().setUnits(OUT).build());
      pretrained.initialize(pretrainedManager, DataType.FLOAT32, new Shape(1, IN));
      float[][][] data = teacherData(pretrained.getParameters().toMap());

      LoRAWrapped wrapped = LoRA.wrapAllButHead(pretrained, RANK, RANK, model.getNDManager());
      assertThat(wrapped.loraPaths()).containsExactly("01LoRALinear");
      model.setBlock(wrapped.block());
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build();
      LoRAGroups lora = wrapped.groups();
      ParameterGroups.Builder groups = ParameterGroups.builder();
      if (oneRatePerGroup) {
        groups.add(GroupSpec.pattern("A", lora.aPattern()))
            .add(GroupSpec.pattern("B", lora.bPattern()));
      } else {
        groups.add(GroupSpec.predicate("AB", "A and B",
            (name, parameter) -> lora.isA(name) || lora.isB(name)));
      }
      // The head is in no group: Rest.FREEZE freezes it.
      HiDlrOptimizer hidlr = HiDlr.on(sgd, 1f)
          .groups(groups.optRest(ParameterGroups.Rest.FREEZE).build())
          .tuner(TunerConfig.paper().setInitialRate(0.01).optRateSmoothing(0.5).build())
          .probesPerStep().build(model, new HalfSquaredErrorLoss());
      try (Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
              .optOptimizer(hidlr))) {
        trainer.initialize(new Shape(N, IN));
        assertThat(hidlr.groups().orElseThrow().frozenByRest())
            .containsExactly("02Linear_weight", "02Linear_bias");

        NDList x = new NDList(trainer.getManager().create(data[0]));
        NDList y = new NDList(trainer.getManager().create(data[1]));
        double initial = Acceptance.loss(trainer, x, y);
        double[] losses = new double[STEPS];
        List<double[]> rates = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
          Acceptance.backward(trainer, x, y);
          StepOutcome outcome = Acceptance.step(trainer, hidlr, x, y);
          rates.add(outcome.rates());
          losses[t] = Acceptance.loss(trainer, x, y);
        }
        return new Run(initial, losses, rates, lora);
      }
    }
  }

  /** Inputs and the teacher's outputs {@code V((W₀ + U Qᵀ) x + b₀) + c}. */
  private static float[][][] teacherData(Map<String, Parameter> pretrained) {
    float[] w0 = pretrained.get("01Linear_weight").getArray().toFloatArray();
    float[] b0 = pretrained.get("01Linear_bias").getArray().toFloatArray();
    float[] v = pretrained.get("02Linear_weight").getArray().toFloatArray();
    float[] c = pretrained.get("02Linear_bias").getArray().toFloatArray();
    Random random = new Random(SEED);
    double[][] w = new double[HIDDEN][IN];
    double[][] u = new double[HIDDEN][RANK];
    double[][] q = new double[IN][RANK];
    for (double[] row : u) {
      for (int k = 0; k < RANK; k++) {
        row[k] = random.nextGaussian();
      }
    }
    for (double[] row : q) {
      for (int k = 0; k < RANK; k++) {
        row[k] = UPDATE_SCALE * random.nextGaussian() / Math.sqrt(IN);
      }
    }
    for (int a = 0; a < HIDDEN; a++) {
      for (int j = 0; j < IN; j++) {
        w[a][j] = w0[a * IN + j];
        for (int k = 0; k < RANK; k++) {
          w[a][j] += u[a][k] * q[j][k];
        }
      }
    }
    float[][] x = new float[N][IN];
    float[][] y = new float[N][OUT];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < IN; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      double[] h = new double[HIDDEN];
      for (int a = 0; a < HIDDEN; a++) {
        h[a] = b0[a];
        for (int j = 0; j < IN; j++) {
          h[a] += w[a][j] * x[i][j];
        }
      }
      for (int o = 0; o < OUT; o++) {
        double s = c[o];
        for (int a = 0; a < HIDDEN; a++) {
          s += v[o * HIDDEN + a] * h[a];
        }
        y[i][o] = (float) s;
      }
    }
    return new float[][][] {x, y};
  }

  @Test
  void hiDlrGivesBAndADifferentRatesAndFitsTheLowRankUpdate() {
    Run run = train(true);
    double ratio = run.rates().get(STEPS - 1)[1] / run.rates().get(STEPS - 1)[0];
    // The tuner settles: the ratio no longer moves over the last 15 steps ...
    for (int t = STEPS - 15; t < STEPS; t++) {
      double at = run.rates().get(t)[1] / run.rates().get(t)[0];
      assertThat(at).as("η_B / η_A at step %d (final %s)", t, ratio)
          .isCloseTo(ratio, within(0.05 * ratio));
    }
    // ... on a ratio far from 1, in LoRA+'s direction: B learns faster than A.
    assertThat(ratio).as("settled η_B / η_A = %s", ratio).isGreaterThan(2);
    // The low-rank update is recovered: the loss falls by many orders of magnitude.
    double last = run.losses()[STEPS - 1];
    assertThat(last).as("loss %s after %d steps, from %s", last, STEPS, run.initialLoss())
        .isLessThan(1e-6 * run.initialLoss());
    for (int t = 40; t < STEPS; t++) {
      assertThat(run.losses()[t]).as("loss at step %d", t).isLessThan(run.losses()[t - 1]);
    }
    // One rate for A and B together (Hi-ULR) sees the bilinear saddle at B = 0: the joint
    // direction has negative curvature, so the fit is rejected and the rate stays near η0.
    Run uniform = train(false);
    double uniformLast = uniform.losses()[STEPS - 1];
    assertThat(last).as("Hi-DLR loss vs Hi-ULR loss %s", uniformLast)
        .isLessThan(1e-3 * uniformLast);
  }
}
