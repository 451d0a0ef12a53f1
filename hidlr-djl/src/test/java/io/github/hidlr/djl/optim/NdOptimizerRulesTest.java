package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer configuration against its scalar reference, and the linearity of its update in
 * the learning rate, by calling {@code update()} directly on a 3-element weight with a fixed
 * gradient sequence.
 */
class NdOptimizerRulesTest {

  private static final float[] W0 = {0.5f, -1.0f, 2.0f};

  /** Fixed gradients; the first has a zero entry, which the adaptive rules must survive. */
  private static final float[][] GRADS = {
    {0.3f, -0.8f, 0.0f},
    {0.5f, 0.2f, -1.1f},
    {-0.4f, 0.9f, 0.6f},
    {1.2f, -0.3f, 0.25f},
    {-0.7f, 0.05f, -0.9f},
  };

  private static final Shape SHAPE = new Shape(3, 1);

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

  private static NDArray weight(float[] values) {
    NDArray w = manager.create(values);
    // Like a real parameter: in-place updates on it need grad mode off.
    w.setRequiresGradient(true);
    return w;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void firstFiveStepsMatchThePublishedRule(OptimCases.Case c) {
    double lr = 0.05;
    NdOptimizer optimizer = c.build(lr);
    ScalarReference.Rule reference = c.reference().apply(lr);
    double[] expected = toDouble(W0);
    try (NDManager scope = manager.newSubManager()) {
      NDArray w = weight(W0);
      w.attach(scope);
      for (float[] g : GRADS) {
        try (NDArray grad = scope.create(g)) {
          optimizer.update("w", w, grad);
        }
        reference.step(expected, toDouble(g));
        float[] actual = w.toFloatArray();
        for (int i = 0; i < actual.length; i++) {
          assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-6));
        }
      }
    }
  }

  /**
   * Warms a state up at an unrelated rate, loads that same state into an optimizer at {@code η} and
   * one at {@code 2η}, and feeds both the same weights and gradients: {@code Δ(2η) = 2·Δ(η)} at
   * every step. An optimizer that kept {@code η} in a buffer (DJL's momentum SGD) fails this,
   * because the warmed-up buffer holds the old rate.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updateIsLinearInTheLearningRate(OptimCases.Case c) {
    float lr = 0.1f;
    try (NDManager scope = manager.newSubManager()) {
      Block block = Linear.builder().setUnits(W0.length).optBias(false).build();
      block.initialize(scope, DataType.FLOAT32, new Shape(1, 1));
      Parameter parameter = block.getParameters().get("weight");
      NDArray w = parameter.getArray();
      w.set(W0);
      String id = parameter.getId();

      NdOptimizer warmUp = c.build(0.03);
      for (int k = 0; k < 2; k++) {
        try (NDArray grad = scope.create(GRADS[k], SHAPE)) {
          warmUp.update(id, w, grad);
        }
      }
      byte[] state = OptimFixtures.saveState(warmUp, block);
      NdOptimizer single = c.build(lr);
      NdOptimizer twice = c.build(2 * lr);
      OptimFixtures.loadState(single, block, scope, state);
      OptimFixtures.loadState(twice, block, scope, state);

      for (int k = 2; k < GRADS.length; k++) {
        try (NDArray before = w.duplicate();
            NDArray grad = scope.create(GRADS[k], SHAPE)) {
          twice.update(id, w, grad);
          float[] afterTwice = w.toFloatArray();
          before.copyTo(w);
          single.update(id, w, grad);
          float[] afterSingle = w.toFloatArray();
          float[] start = before.toFloatArray();
          for (int i = 0; i < start.length; i++) {
            double deltaSingle = (double) afterSingle[i] - start[i];
            double deltaTwice = (double) afterTwice[i] - start[i];
            assertThat(deltaSingle).isNotZero();
            assertThat(deltaTwice).isCloseTo(2 * deltaSingle, within(1e-6));
          }
        }
      }
    }
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
