package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.StepOutcome;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance (d): Hi-DLR on top of each base optimizer of {@code io.github.hidlr.djl.optim}
 * (SGD with momentum, Adam, AdamW, RMSProp). It trains a small MLP regression, and one step's
 * update, checked element by element, is exactly {@code w_before − Σ_k (η_k / η_ref) Δ_(k)}
 * where {@code Δ} is what a plain run of the same optimizer at {@code η_ref}, from the same
 * weights and the same optimizer state, applies.
 */
class BaseOptimizersTest {

  private static final int N = 256;
  private static final int D = 4;
  private static final int STEPS = 60;
  /** The step whose update is checked against the plain optimizer (its state is warm). */
  private static final int CHECK = 10;

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("SGD momentum 0.9", 0.01f,
            (Supplier<NdOptimizer>) () -> Optimizers.sgd().setLearningRate(0.01f)
                .optMomentum(0.9f).build()),
        Arguments.of("Adam", 1e-3f,
            (Supplier<NdOptimizer>) () -> Optimizers.adam().setLearningRate(1e-3f).build()),
        Arguments.of("AdamW", 1e-3f,
            (Supplier<NdOptimizer>) () -> Optimizers.adamW().setLearningRate(1e-3f)
                .optWeightDecay(0.01f).build()),
        Arguments.of("RMSProp", 1e-3f,
            (Supplier<NdOptimizer>) () -> Optimizers.rmsProp().setLearningRate(1e-3f).build()));
  }

  private static Block mlp() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(16).build())
        .add(Activation::tanh)
        .add(Linear.builder().setUnits(1).build());
  }

  private static float[][][] data() {
    Random random = new Random(17);
    float[][] x = new float[N][D];
    float[][] y = new float[N][1];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < D; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      y[i][0] = (float) (Math.sin(x[i][0]) + x[i][1] * x[i][2] + 0.5 * x[i][3] + 2);
    }
    return new float[][][] {x, y};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void hiDlrTrainsAndRescalesOneCapturedUpdatePerGroup(
      String name, float reference, Supplier<NdOptimizer> factory) throws IOException {
    Engine.getInstance().setRandomSeed(8);
    float[][][] data = data();
    try (Model model = Model.newInstance("hidlr");
        Model plainModel = Model.newInstance("plain")) {
      model.setBlock(mlp());
      NdOptimizer base = factory.get();
      HiDlrOptimizer hidlr = HiDlr.on(base).groups(ParameterGroups.builder()
              .add(GroupSpec.kind("weights", ParameterKind.WEIGHT))
              .add(GroupSpec.kind("biases", ParameterKind.BIAS))
              .build())
          .tuner(TunerConfig.hiDlr().setInitialRate(reference).optRateSmoothing(0.5).build())
          .probesPerStep().build(model, new HalfSquaredErrorLoss());
      try (Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
              .optOptimizer(hidlr))) {
        trainer.initialize(new Shape(N, D));
        NDList x = new NDList(trainer.getManager().create(data[0]));
        NDList y = new NDList(trainer.getManager().create(data[1]));
        double initial = Acceptance.loss(trainer, x, y);
        for (int t = 0; t < STEPS; t++) {
          Acceptance.backward(trainer, x, y);
          if (t == CHECK) {
            checkOneStep(name, reference, factory, model, plainModel, trainer, hidlr, x, y);
          } else {
            Acceptance.step(trainer, hidlr, x, y);
          }
        }
        double last = Acceptance.loss(trainer, x, y);
        assertThat(last).as("%s: loss after %d steps, from %s", name, STEPS, initial)
            .isLessThan(0.05 * initial);
      }
    }
  }

  /**
   * Runs step {@link #CHECK} and compares it with the plain optimizer: a second model with the
   * same weights and a copy of the base optimizer's state takes a plain step at {@code η_ref}
   * on the same batch, giving {@code Δ}.
   */
  private static void checkOneStep(String name, float reference, Supplier<NdOptimizer> factory,
      Model model, Model plainModel, Trainer trainer, HiDlrOptimizer hidlr, NDList x, NDList y)
      throws IOException {
    NdOptimizer plain = factory.get();
    plainModel.setBlock(mlp());
    try (Trainer plainTrainer =
        plainModel.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
            .optOptimizer(plain))) {
      plainTrainer.initialize(new Shape(N, D));
      Acceptance.copyParameters(model.getBlock(), plainModel.getBlock());
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      ((NdOptimizer) hidlr.base())
          .saveState(model.getBlock(), new DataOutputStream(state));
      plain.loadState(plainModel.getBlock(), plainTrainer.getManager(),
          new DataInputStream(new ByteArrayInputStream(state.toByteArray())));

      Map<String, float[]> before = Acceptance.snapshot(model.getBlock());
      Acceptance.backward(plainTrainer, x, y);
      plainTrainer.step();
      Map<String, float[]> plainAfter = Acceptance.snapshot(plainModel.getBlock());

      StepOutcome outcome = Acceptance.step(trainer, hidlr, x, y);
      Map<String, float[]> after = Acceptance.snapshot(model.getBlock());
      double[] rates = outcome.rates();
      assertThat(outcome.report()).as("%s: step %d probes", name, CHECK).isPresent();
      // The groups' rates differ from each other and from η_ref: the rescaling is not trivial.
      assertThat(rates[0]).as("%s: rates %s", name, Arrays.toString(rates))
          .isNotEqualTo(rates[1]).isNotEqualTo(reference);
      assertThat(rates[1]).as("%s: rates %s", name, Arrays.toString(rates))
          .isNotEqualTo(reference);
      for (String parameter : before.keySet()) {
        int group = parameter.endsWith("_bias") ? 1 : 0;
        // w = w0 − η_k·d = w0 − (η_k/η_ref) Δ with Δ = w0 − w_plain = η_ref·d up to the
        // rounding of the plain step (an ulp of w0); scaled by η_k/η_ref that allows
        // (scale + 1) ulps. A second optimizer step, or none, would miss by the whole Δ.
        float scale = (float) (rates[group] / reference);
        float[] w0 = before.get(parameter);
        float[] wPlain = plainAfter.get(parameter);
        float[] actual = after.get(parameter);
        assertThat(Acceptance.maxAbsDiff(w0, wPlain)).as("%s: %s moved", name, parameter)
            .isGreaterThan(0);
        double largestStep = 0;
        double largestTolerance = 0;
        for (int i = 0; i < w0.length; i++) {
          float delta = w0[i] - wPlain[i];
          float expected = w0[i] - delta * scale;
          float tolerance = 2 * (Math.abs(scale) + 1) * Math.ulp(Math.abs(w0[i]) + Math.abs(delta));
          assertThat(actual[i])
              .as("%s: %s[%d] = w0 − (η_%d/η_ref)·Δ with η/η_ref = %s", name, parameter, i,
                  group, scale)
              .isCloseTo(expected, org.assertj.core.api.Assertions.within(tolerance));
          largestStep = Math.max(largestStep, Math.abs(delta * scale));
          largestTolerance = Math.max(largestTolerance, tolerance);
        }
        // The tolerance is rounding, not the step: a missing or doubled update would fail.
        assertThat(largestStep).as("%s: %s step vs tolerance", name, parameter)
            .isGreaterThan(100 * largestTolerance);
      }
    }
  }
}
