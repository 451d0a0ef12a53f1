package io.github.hidlr.djl.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.hidlr.djl.Tensors;
import io.github.hidlr.djl.lora.LoRA;
import io.github.hidlr.djl.lora.LoRAGroups;
import io.github.hidlr.djl.lora.LoRAWrapped;
import io.github.hidlr.djl.optim.Optimizers;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Schedules and LoRA+ rate factors on hidlr's Adam, against the scalar rule. */
class ScaledRateOptimizerTest {

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static void check(
      Function<Block, Optimizer> factory,
      ScalarBaselines.Rule reference) {
    double[] expected = DirectRig.toDouble(DirectRig.W0);
    try (DirectRig rig = new DirectRig(manager, factory)) {
      for (int t = 0; t < DirectRig.GRADS.length; t++) {
        rig.step(DirectRig.GRADS[t]);
        reference.step(expected, DirectRig.toDouble(DirectRig.GRADS[t]));
        float[] actual = rig.values();
        for (int i = 0; i < actual.length; i++) {
          assertThat((double) actual[i])
              .as("step %d, element %d", t, i)
              .isCloseTo(expected[i], within(1e-6));
        }
        EffectiveRate rate = (EffectiveRate) rig.optimizer;
        assertThat(rate.effectiveLearningRate())
            .isCloseTo(reference.effectiveRate(), within(1e-9));
      }
    }
  }

  @Test
  void adamFollowsACosineScheduleWithWarmup() {
    LearningRateSchedule schedule = LearningRateSchedule.cosine(8).withWarmup(2);
    double[] ones = new double[8];
    Arrays.fill(ones, 1);
    check(
        b ->
            Baselines.scaledRate()
                .setBase(Optimizers.adam().setLearningRate(0.1f).build())
                .setBlock(b)
                .optSchedule(schedule)
                .build(),
        ScalarBaselines.scaledAdam(0.1f, 0.9f, 0.999f, 1e-8f, 0, schedule::multiplier, ones));
  }

  @Test
  void loraPlusMovesBSixteenTimesAsFastAsTheRest() {
    double[] scale = {16, 16, 16, 16, 16, 16, 1, 1};
    LoRAGroups weightIsB = new LoRAGroups("^bias$", "^weight$", "^head$");
    check(
        b -> LoRAPlus.wrap(Optimizers.adamW().setLearningRate(0.01f).build(), b, weightIsB),
        ScalarBaselines.scaledAdam(0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, t -> 1, scale));
  }

  @Test
  void loraPlusSelectsTheBMatricesOfARealLoRAModel() {
    try (NDManager scope = manager.newSubManager()) {
      SequentialBlock net =
          new SequentialBlock()
              .add(Linear.builder().setUnits(5).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(2).build());
      net.initialize(scope, DataType.FLOAT32, new Shape(1, 4));
      LoRAWrapped wrapped = LoRA.wrapAllButHead(net, 2, 4f, scope);
      Map<String, float[]> plus = oneStep(wrapped, true, scope);
      Map<String, float[]> plain = oneStep(wrapped, false, scope);
      assertThat(plus.keySet()).containsExactlyElementsOf(plain.keySet()).hasSize(4);
      for (String name : plus.keySet()) {
        double factor = wrapped.groups().isB(name) ? LoRAPlus.DEFAULT_RATIO : 1;
        float[] a = plus.get(name);
        float[] b = plain.get(name);
        for (int i = 0; i < a.length; i++) {
          assertThat((double) a[i]).as(name).isCloseTo(factor * b[i], within(1e-6));
        }
      }
    }
  }

  /** Δ of one AdamW step with fixed gradients on every trainable parameter, weights restored. */
  private static Map<String, float[]> oneStep(LoRAWrapped wrapped, boolean plus, NDManager scope) {
    Optimizer optimizer =
        plus
            ? LoRAPlus.wrap(
                Optimizers.adamW().setLearningRate(0.01f).build(),
                wrapped.block(),
                wrapped.groups())
            : Optimizers.adamW().setLearningRate(0.01f).build();
    Map<String, float[]> deltas = new LinkedHashMap<>();
    int k = 0;
    for (Pair<String, Parameter> p : wrapped.block().getParameters()) {
      Parameter parameter = p.getValue();
      if (!parameter.requiresGradient()) {
        continue;
      }
      NDArray w = parameter.getArray();
      try (NDArray before = w.duplicate();
          NDArray grad = gradient(scope, w.getShape(), ++k)) {
        optimizer.update(parameter.getId(), w, grad);
        float[] after = w.toFloatArray();
        float[] start = before.toFloatArray();
        float[] delta = new float[after.length];
        for (int i = 0; i < delta.length; i++) {
          delta[i] = after[i] - start[i];
        }
        deltas.put(p.getKey(), delta);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
          Tensors.assign(w, before);
        } finally {
          JniUtils.setGradMode(gradMode);
        }
      }
    }
    return deltas;
  }

  /** A fixed gradient: {@code sin(0.37·i + k)} over the elements. */
  private static NDArray gradient(NDManager scope, Shape shape, int k) {
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(0.37 * i + k);
    }
    return scope.create(values, shape);
  }

  @Test
  void groupRatesAreLoraPlusRates() {
    assertThat(LoRAPlus.groupRates(1e-3))
        .containsExactly(
            Map.entry("A", 1e-3), Map.entry("B", 16e-3), Map.entry("head", 1e-3));
    assertThat(LoRAPlus.groupRates(0.5, 4).get(LoRAPlus.GROUP_B)).isEqualTo(2);
    assertThatThrownBy(() -> LoRAPlus.groupRates(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("etaA");
  }

  @Test
  void buildRejectsWhatCannotWork() {
    Block block = Linear.builder().setUnits(2).build();
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    assertThatThrownBy(() -> Baselines.scaledRate().setBlock(block).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setBase");
    assertThatThrownBy(
            () ->
                Baselines.scaledRate()
                    .setBase(Optimizers.sgd().setLearningRate(0.1f).build())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setBlock");
    assertThatThrownBy(
            () ->
                Baselines.scaledRate()
                    .setBase(Baselines.prodigy().setBlock(block).build())
                    .setBlock(block)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("optSchedule");
    assertThatThrownBy(
            () ->
                Baselines.scaledRate()
                    .setBase(Optimizers.sgd().setLearningRate(0.1f).build())
                    .setBlock(block)
                    .optScale("^loraB$", 16)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matches no parameter")
        .hasMessageContaining("[weight, bias]");
    assertThatThrownBy(
            () ->
                Baselines.scaledRate()
                    .setBase(Optimizers.sgd().setLearningRate(0.1f).build())
                    .setBlock(block)
                    .optScale("w.*", 2)
                    .optScale("weight", 3)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("several scale patterns");
    assertThatThrownBy(() -> Baselines.scaledRate().optScale("(", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid regular expression");
    assertThatThrownBy(() -> Baselines.scaledRate().optScale("weight", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("> 0");
    assertThatThrownBy(() -> Baselines.scaledRate().optWeightDecays(0.1f))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("base optimizer");
    ScaledRateOptimizer ok =
        Baselines.scaledRate()
            .setBase(Optimizers.sgd().setLearningRate(0.1f).build())
            .setBlock(block)
            .optScale("weight", 3)
            .optSchedule(LearningRateSchedule.linear(10))
            .build();
    assertThat(ok.factor("weight")).isEqualTo(3);
    assertThat(ok.factor("bias")).isEqualTo(1);
    assertThat(ok.toString()).contains("Sgd{", "LINEAR", "weight");
    assertThat(ok.diagnostics()).containsKeys("effectiveLearningRate", "stepIndex", "multiplier");
  }
}
