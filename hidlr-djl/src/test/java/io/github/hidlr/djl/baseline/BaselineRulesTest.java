package io.github.hidlr.djl.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every baseline configuration against a plain scalar implementation of its reference rule
 * ({@link ScalarBaselines}): the first steps on a weight and a bias updated with fixed gradients
 * match to 1e-6, and so does the reported effective learning rate (relatively).
 */
class BaselineRulesTest {

  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double B1 = 0.9f;
  private static final double B2 = 0.999f;
  private static final double EPS = 1e-8f;

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /**
   * A configuration with its reference. {@code rateTolerance} is relative: with {@code d₀ = 1e-6}
   * the first steps move weights by about 1e-6, so float32 weights resolve {@code ⟨g, w₀ − w⟩}
   * (hence {@code d}) only to about a percent; larger {@code d₀} is checked tightly.
   */
  record Case(
      String name,
      Function<Block, Optimizer> optimizer,
      Supplier<ScalarBaselines.Rule> reference,
      double rateTolerance) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    LearningRateSchedule cosine = LearningRateSchedule.cosine(8).withWarmup(2);
    LearningRateSchedule linear = LearningRateSchedule.linear(10);
    return List.of(
        new Case(
            "prodigy defaults",
            b -> Baselines.prodigy().setBlock(b).build(),
            () ->
                ScalarBaselines.prodigy(
                    k -> 1, B1, B2, Math.sqrt(B2), EPS, 0, true, false, false, 1e-6, 1, INF),
            5e-2),
        new Case(
            "prodigy d0 1e-2, decoupled weight decay 0.1",
            b -> Baselines.prodigy().setBlock(b).optD0(1e-2).optWeightDecay(0.1f).build(),
            () ->
                ScalarBaselines.prodigy(
                    k -> 1, B1, B2, Math.sqrt(B2), EPS, 0.1f, true, false, false, 1e-2, 1, INF),
            1e-4),
        new Case(
            "prodigy d0 1e-2, L2 decay, bias correction, safeguard, growth 1.5, beta1 0",
            b ->
                Baselines.prodigy()
                    .setBlock(b)
                    .optD0(1e-2)
                    .optWeightDecay(0.05f)
                    .optDecoupled(false)
                    .optBiasCorrection(true)
                    .optSafeguardWarmup(true)
                    .optGrowthRate(1.5)
                    .optBeta1(0f)
                    .build(),
            () ->
                ScalarBaselines.prodigy(
                    k -> 1, 0, B2, Math.sqrt(B2), EPS, 0.05f, false, true, true, 1e-2, 1, 1.5),
            1e-4),
        new Case(
            "prodigy d0 1e-2, lr 0.5 cosine with warm-up, dCoef 2, beta3 0.99",
            b ->
                Baselines.prodigy()
                    .setBlock(b)
                    .setLearningRate(0.5f)
                    .optSchedule(cosine)
                    .optD0(1e-2)
                    .optDCoef(2)
                    .optBeta3(0.99f)
                    .build(),
            () ->
                ScalarBaselines.prodigy(
                    k -> 0.5 * cosine.multiplier(k),
                    B1,
                    B2,
                    0.99f,
                    EPS,
                    0,
                    true,
                    false,
                    false,
                    1e-2,
                    2,
                    INF),
            1e-4),
        new Case(
            "d-adapt adam defaults",
            b -> Baselines.dAdaptAdam().setBlock(b).build(),
            () -> ScalarBaselines.dAdaptAdam(k -> 1, B1, B2, EPS, 0, false, false, 1e-6, INF),
            5e-2),
        new Case(
            "d-adapt adam d0 1e-2, decoupled weight decay 0.1, bias correction",
            b ->
                Baselines.dAdaptAdam()
                    .setBlock(b)
                    .optD0(1e-2)
                    .optWeightDecay(0.1f)
                    .optDecoupled(true)
                    .optBiasCorrection(true)
                    .build(),
            () -> ScalarBaselines.dAdaptAdam(k -> 1, B1, B2, EPS, 0.1f, true, true, 1e-2, INF),
            1e-4),
        new Case(
            "d-adapt adam d0 1e-2, L2 decay, growth 1.2, linear schedule",
            b ->
                Baselines.dAdaptAdam()
                    .setBlock(b)
                    .optD0(1e-2)
                    .optWeightDecay(0.05f)
                    .optGrowthRate(1.2)
                    .optSchedule(linear)
                    .build(),
            () ->
                ScalarBaselines.dAdaptAdam(
                    linear::multiplier, B1, B2, EPS, 0.05f, false, false, 1e-2, 1.2),
            1e-4),
        new Case(
            "dog defaults",
            b -> Baselines.dog().setBlock(b).build(),
            () -> ScalarBaselines.dog(1, 1e-6, 1e-8, 0, Double.NaN, 8, new double[8]),
            1e-2),
        new Case(
            "dog reps 0.1, weight decay 0.05, lr 0.5",
            b ->
                Baselines.dog()
                    .setBlock(b)
                    .optRepsRel(0.1)
                    .optWeightDecay(0.05f)
                    .setLearningRate(0.5f)
                    .build(),
            () -> ScalarBaselines.dog(0.5, 0.1, 1e-8, 0.05f, Double.NaN, 8, new double[8]),
            1e-4),
        new Case(
            "dog init eta 0.05",
            b -> Baselines.dog().setBlock(b).optInitEta(0.05).build(),
            () -> ScalarBaselines.dog(1, 1e-6, 1e-8, 0, 0.05, 8, new double[8]),
            1e-4),
        new Case(
            "schedule-free adamw defaults",
            b -> Baselines.scheduleFreeAdamW().setBlock(b).build(),
            () -> ScalarBaselines.scheduleFree(0.0025f, B1, B2, EPS, 0, 0, 0, 2, new double[8]),
            1e-6),
        new Case(
            "schedule-free adamw lr 0.1, warm-up 3, weight decay 0.01, r 1, power 1",
            b ->
                Baselines.scheduleFreeAdamW()
                    .setBlock(b)
                    .setLearningRate(0.1f)
                    .optWarmupSteps(3)
                    .optWeightDecay(0.01f)
                    .optR(1)
                    .optWeightLrPower(1)
                    .build(),
            () -> ScalarBaselines.scheduleFree(0.1f, B1, B2, EPS, 0.01f, 3, 1, 1, new double[8]),
            1e-6),
        new Case(
            "schedule-free adamw lr 0.05, betas (0.5, 0.9)",
            b ->
                Baselines.scheduleFreeAdamW()
                    .setBlock(b)
                    .setLearningRate(0.05f)
                    .optBeta1(0.5f)
                    .optBeta2(0.9f)
                    .build(),
            () ->
                ScalarBaselines.scheduleFree(0.05f, 0.5f, 0.9f, EPS, 0, 0, 0, 2, new double[8]),
            1e-6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void firstStepsMatchTheReferenceRule(Case c) {
    ScalarBaselines.Rule reference = c.reference().get();
    double[] expected = DirectRig.toDouble(DirectRig.W0);
    try (DirectRig rig = new DirectRig(manager, c.optimizer())) {
      EffectiveRate rate = (EffectiveRate) rig.optimizer;
      assertRate(rate.effectiveLearningRate(), reference.effectiveRate(), 1e-6, "before step 0");
      for (int t = 0; t < DirectRig.GRADS.length; t++) {
        rig.step(DirectRig.GRADS[t]);
        reference.step(expected, DirectRig.toDouble(DirectRig.GRADS[t]));
        float[] actual = rig.values();
        for (int i = 0; i < actual.length; i++) {
          assertThat((double) actual[i])
              .as("step %d, element %d", t, i)
              .isCloseTo(expected[i], within(1e-6));
        }
        assertRate(
            rate.effectiveLearningRate(),
            reference.effectiveRate(),
            c.rateTolerance(),
            "after step " + t);
      }
      assertThat(rate.diagnostics()).containsKey("effectiveLearningRate");
    }
  }

  private static void assertRate(double actual, double expected, double tolerance, String when) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as("effective learning rate %s", when).isNaN();
    } else {
      assertThat(actual)
          .as("effective learning rate %s", when)
          .isCloseTo(expected, within(Math.abs(expected) * tolerance));
    }
  }

  @Test
  void prodigyDefaultsMoveTheWeightsAndGrowD() {
    // Guards the loose tolerance above: d must actually change, or the defaults test nothing.
    try (DirectRig rig = new DirectRig(manager, b -> Baselines.prodigy().setBlock(b).build())) {
      for (float[] g : DirectRig.GRADS) {
        rig.step(g);
      }
      Prodigy prodigy = (Prodigy) rig.optimizer;
      assertThat(prodigy.d()).isGreaterThan(2 * DistanceOptions.DEFAULT_D0);
      assertThat(prodigy.diagnostics().get("k")).isEqualTo(DirectRig.GRADS.length);
    }
  }

  @Test
  void dogAveragedWeightsAreThePolynomialAverage() {
    double[] average = new double[8];
    ScalarBaselines.Rule reference =
        ScalarBaselines.dog(1, 0.1, 1e-8, 0, Double.NaN, 8, average);
    double[] expected = DirectRig.toDouble(DirectRig.W0);
    try (DirectRig rig =
        new DirectRig(manager, b -> Baselines.dog().setBlock(b).optRepsRel(0.1).build())) {
      DoG dog = (DoG) rig.optimizer;
      for (float[] g : DirectRig.GRADS) {
        rig.step(g);
        reference.step(expected, DirectRig.toDouble(g));
      }
      float[] training = rig.values();
      try (WeightSwap swap = dog.averagedWeights()) {
        assertThat(swap.isClosed()).isFalse();
        float[] averaged = rig.values();
        for (int i = 0; i < averaged.length; i++) {
          assertThat((double) averaged[i]).isCloseTo(average[i], within(1e-6));
        }
        assertThat(averaged).isNotEqualTo(training);
        // No training step while the average is swapped in, and no save or load: either would
        // take the average for the training iterate.
        assertThatThrownBy(() -> rig.step(DirectRig.GRADS[0]))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("averagedWeights");
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        assertThatThrownBy(() -> dog.saveState(dog.block(), new java.io.DataOutputStream(saved)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("save the state").hasMessageContaining("WeightSwap");
        assertThat(saved.size()).isZero();
        assertThatThrownBy(() -> dog.loadState(dog.block(), manager, new java.io.DataInputStream(
            new java.io.ByteArrayInputStream(new byte[0]))))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("load a state").hasMessageContaining("WeightSwap");
        assertThat(rig.values()).containsExactly(averaged);
      }
      assertThat(rig.values()).as("training iterate restored exactly").containsExactly(training);
      rig.step(DirectRig.GRADS[1]);
    }
  }

  @Test
  void scheduleFreeSwitchesBetweenTrainingAndEvaluationPoints() {
    double[] x = new double[8];
    ScalarBaselines.Rule reference =
        ScalarBaselines.scheduleFree(0.1f, B1, B2, EPS, 0, 0, 0, 2, x);
    double[] y = DirectRig.toDouble(DirectRig.W0);
    try (DirectRig rig =
        new DirectRig(
            manager,
            b -> Baselines.scheduleFreeAdamW().setBlock(b).setLearningRate(0.1f).build())) {
      ScheduleFreeAdamW sf = (ScheduleFreeAdamW) rig.optimizer;
      for (float[] g : DirectRig.GRADS) {
        rig.step(g);
        reference.step(y, DirectRig.toDouble(g));
      }
      assertThat(sf.isTrainMode()).isTrue();
      sf.eval();
      assertThat(sf.isTrainMode()).isFalse();
      float[] evaluation = rig.values();
      for (int i = 0; i < evaluation.length; i++) {
        // x from its own recursion x ← (1 − c)x + c·z, against eval()'s lerp from y and z.
        assertThat((double) evaluation[i]).as("x[%d]", i).isCloseTo(x[i], within(1e-6));
      }
      assertThatThrownBy(() -> rig.step(DirectRig.GRADS[0]))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("train()");
      sf.train();
      float[] training = rig.values();
      for (int i = 0; i < training.length; i++) {
        assertThat((double) training[i]).as("y[%d]", i).isCloseTo(y[i], within(1e-6));
      }
      try (WeightSwap swap = sf.evaluationWeights()) {
        assertThat(sf.isTrainMode()).isFalse();
        assertThat(swap.isClosed()).isFalse();
      }
      assertThat(sf.isTrainMode()).isTrue();
      rig.step(DirectRig.GRADS[2]);
    }
  }
}
