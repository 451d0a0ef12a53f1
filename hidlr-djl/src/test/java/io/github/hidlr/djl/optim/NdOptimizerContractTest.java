package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.github.hidlr.djl.NonFiniteUpdateException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every optimizer here must do around the rule itself: work inside a gradient collector, zero
 * the real gradient, leave the caller's arrays alone, leak nothing, refuse a NaN.
 */
class NdOptimizerContractTest {

  private static final float[] W0 = {0.5f, -1.0f, 2.0f};
  private static final float[] X = {1.5f, -0.5f, 0.25f};

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static List<OptimCases.Case> cases() {
    return OptimCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updatesInsideACollectorZeroesTheGradientAndRestoresGradMode(OptimCases.Case c) {
    NdOptimizer optimizer = c.build(0.1);
    try (NDManager scope = manager.newSubManager()) {
      NDArray w = scope.create(W0);
      w.setRequiresGradient(true);
      NDArray x = scope.create(X);
      for (int step = 0; step < 2; step++) {
        float[] before = w.toFloatArray();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.mul(x).sum());
          assertThat(JniUtils.isGradMode()).isTrue();
          try (NDArray real = w.getGradient();
              NDArray copy = real.duplicate()) {
            // As DJL's parameter server does: update() gets a duplicate.
            optimizer.update("w", w, copy);
            assertThat(copy.toFloatArray()).as("caller's gradient").containsExactly(X);
          }
          assertThat(JniUtils.isGradMode()).as("grad mode restored").isTrue();
        }
        assertThat(w.toFloatArray()).isNotEqualTo(before);
        try (NDArray real = w.getGradient()) {
          // Not zeroed, the next backward would add to it.
          assertThat(real.toFloatArray()).containsOnly(0f);
        }
      }
      assertThat(w.hasGradient()).as("still trainable").isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trainingLeaksNoArrays(OptimCases.Case c) {
    try (OptimFixtures.Rig rig = OptimFixtures.rig(c.build(0.01))) {
      // The first step creates the optimizer state and DJL's gradient wrappers: a one-time +N.
      OptimFixtures.train(rig, 0, 1);
      int live = rig.model.getNDManager().getManagedArrays().size();
      OptimFixtures.train(rig, 1, 10);
      assertThat(rig.model.getNDManager().getManagedArrays()).hasSize(live);
    }
  }

  @Test
  void givenItsBlockTrainingLeaksNoArrays() {
    ai.djl.nn.Block block = OptimFixtures.twoLayer(OptimFixtures.HIDDEN);
    NdOptimizer adam = Optimizers.adam().setBlock(block).setLearningRate(0.01f).build();
    try (OptimFixtures.Rig rig = OptimFixtures.rig(adam, block)) {
      OptimFixtures.train(rig, 0, 1);
      int live = rig.model.getNDManager().getManagedArrays().size();
      OptimFixtures.train(rig, 1, 10);
      // (The held gradients are detached, so this counts what stays attached.)
      assertThat(rig.model.getNDManager().getManagedArrays()).hasSize(live);
      assertThat(adam.stepIndex()).isEqualTo(11);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aNonFiniteGradientIsRefusedBeforeTheParameterChanges(OptimCases.Case c) {
    NdOptimizer refused = c.build(0.1);
    NdOptimizer twin = c.build(0.1);
    try (NDManager scope = manager.newSubManager()) {
      NDArray w = scope.create(W0);
      NDArray v = scope.create(W0);
      try (NDArray bad = scope.create(new float[] {Float.NaN, 1f, Float.POSITIVE_INFINITY})) {
        assertThatThrownBy(() -> refused.update("w", w, bad))
            .isInstanceOf(NonFiniteUpdateException.class)
            .hasMessageContaining("parameter id w")
            .hasMessageContaining("before changing this parameter's weight and state");
      }
      assertThat(w.toFloatArray()).containsExactly(W0);
      // Its state too: the next finite steps match an optimizer that never saw the NaN.
      for (int step = 0; step < 2; step++) {
        try (NDArray g = scope.create(X)) {
          refused.update("w", w, g);
          twin.update("w", v, g);
        }
        assertThat(w.toFloatArray()).containsExactly(v.toFloatArray());
      }
    }
  }

  @Test
  void everyOptimizerPrintsItsFullConfiguration() {
    assertThat(Optimizers.adamW().setLearningRate(1e-3f).build())
        .hasToString(
            "AdamW{learningRate=0.001, rescaleGrad=1.0, clipGrad=off, beginNumUpdate=0,"
                + " beta1=0.9, beta2=0.999, epsilon=1.0E-8, weightDecay=0.01,"
                + " decoupled=true}");
    assertThat(Optimizers.adam().setLearningRate(1e-3f).build().toString())
        .startsWith("Adam{")
        .contains("weightDecay=0.0,", "decoupled=false");
    assertThat(Optimizers.sgd().setLearningRate(0.1f).optMomentum(0.9f).build().toString())
        .contains("learningRate=0.1", "momentum=0.9", "nesterov=false");
    assertThat(Optimizers.rmsProp().setLearningRate(0.01f).build().toString())
        .contains("alpha=0.99", "epsilon=1.0E-8", "centered=false");
    assertThat(Optimizers.adagrad().setLearningRate(0.01f).optClipGrad(2f).build().toString())
        .contains("epsilon=1.0E-10", "initialAccumulatorValue=0.0", "clipGrad=2.0");
  }

  @Test
  void slotsFollowTheOptions() {
    assertThat(Optimizers.sgd().setLearningRate(0.1f).build().slotNames()).isEmpty();
    assertThat(Optimizers.sgd().setLearningRate(0.1f).optMomentum(0.5f).build().slotNames())
        .containsExactly(Sgd.MOMENTUM_BUFFER);
    assertThat(
            Optimizers.rmsProp()
                .setLearningRate(0.1f)
                .optCentered(true)
                .optMomentum(0.5f)
                .build()
                .slotNames())
        .containsExactly(RmsProp.SQUARE_AVG, RmsProp.GRAD_AVG, RmsProp.MOMENTUM_BUFFER);
    assertThat(Optimizers.adam().setLearningRate(0.1f).build().slotNames())
        .containsExactly(Adam.EXP_AVG, Adam.EXP_AVG_SQ);
    assertThat(Optimizers.adagrad().setLearningRate(0.1f).build().learningRate()).isEqualTo(0.1f);
  }
}
