package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our optimizers against DJL's built-in PyTorch ones where the rules coincide, on the same seeded
 * model and batches driven through a real {@code Trainer}.
 */
class DjlParityTest {

  private static final int STEPS = 10;

  private static Map<String, float[]> trainWith(Optimizer optimizer) {
    try (OptimFixtures.Rig rig = OptimFixtures.rig(optimizer)) {
      OptimFixtures.train(rig, 0, STEPS);
      return OptimFixtures.weights(rig.block());
    }
  }

  private static void assertClose(
      Map<String, float[]> actual, Map<String, float[]> expected, double tolerance) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] a = actual.get(e.getKey());
      float[] b = e.getValue();
      assertThat(a).hasSameSizeAs(b);
      for (int i = 0; i < a.length; i++) {
        assertThat((double) a[i]).as(e.getKey() + "[" + i + "]").isCloseTo(b[i], within(tolerance));
      }
    }
  }

  @Test
  void plainSgdEqualsDjlSgdBitForBit() {
    Map<String, float[]> ours = trainWith(Optimizers.sgd().setLearningRate(0.1f).build());
    Map<String, float[]> djl =
        trainWith(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
    // Both trained: guards against comparing two untouched initializations.
    assertThat(ours.get("01Linear_bias")).isNotEqualTo(new float[OptimFixtures.HIDDEN]);
    assertThat(ours.keySet()).isEqualTo(djl.keySet());
    for (String name : djl.keySet()) {
      assertThat(ours.get(name)).as(name).containsExactly(djl.get(name));
    }
  }

  @Test
  void sgdWithWeightDecayMatchesDjlSgd() {
    Map<String, float[]> ours =
        trainWith(Optimizers.sgd().setLearningRate(0.1f).optWeightDecay(0.01f).build());
    Map<String, float[]> djl =
        trainWith(
            Optimizer.sgd()
                .setLearningRateTracker(Tracker.fixed(0.1f))
                .optWeightDecays(0.01f)
                .build());
    assertClose(ours, djl, 1e-6);
  }

  @Test
  void adamMatchesDjlAdam() {
    Map<String, float[]> ours = trainWith(Optimizers.adam().setLearningRate(0.01f).build());
    Map<String, float[]> djl =
        trainWith(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
    assertClose(ours, djl, 1e-6);
  }

  @Test
  void adamWMatchesDjlAdamW() {
    Map<String, float[]> ours =
        trainWith(Optimizers.adamW().setLearningRate(0.01f).optWeightDecay(0.1f).build());
    Map<String, float[]> djl =
        trainWith(
            Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed(0.01f))
                .optWeightDecays(0.1f)
                .build());
    assertClose(ours, djl, 1e-6);
  }
}
