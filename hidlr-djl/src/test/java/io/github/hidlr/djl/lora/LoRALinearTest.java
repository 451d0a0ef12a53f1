package io.github.hidlr.djl.lora;

import static io.github.hidlr.djl.lora.LoRATesting.assign;
import static io.github.hidlr.djl.lora.LoRATesting.forward;
import static io.github.hidlr.djl.lora.LoRATesting.maxAbsDiff;
import static io.github.hidlr.djl.lora.LoRATesting.sgdTrainer;
import static io.github.hidlr.djl.lora.LoRATesting.snapshot;
import static io.github.hidlr.djl.lora.LoRATesting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoRALinearTest {

  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private LoRALinear initialised(LoRALinear block, int seed, Shape inputShape) {
    Engine.getInstance().setRandomSeed(seed);
    block.initialize(manager, DataType.FLOAT32, inputShape);
    return block;
  }

  @Test
  void builderDefaultsAlphaToRankAndFreezesTheBias() {
    LoRALinear block = LoRALinear.builder().setUnits(3).setRank(4).build();

    assertThat(block.getUnits()).isEqualTo(3);
    assertThat(block.getRank()).isEqualTo(4);
    assertThat(block.getAlpha()).isEqualTo(4f);
    assertThat(block.getScale()).isEqualTo(1f);
    assertThat(block.hasBias()).isTrue();
    assertThat(block.isTrainBias()).isFalse();
    assertThat(LoRALinear.builder().setUnits(3).setRank(4).optAlpha(2f).build().getScale())
        .isEqualTo(0.5f);
    assertThat(block.getDirectParameters().keys())
        .containsExactly(
            LoRALinear.WEIGHT, LoRALinear.BIAS, LoRALinear.LORA_A, LoRALinear.LORA_B);
    assertThat(LoRALinear.builder().setUnits(3).setRank(1).optBias(false).build()
            .getDirectParameters().keys())
        .containsExactly("weight", "loraA", "loraB");
  }

  @Test
  void builderRejectsBadSettingsNamingValueAndFix() {
    assertThatThrownBy(() -> LoRALinear.builder().setRank(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("units 0")
        .hasMessageContaining("setUnits");
    assertThatThrownBy(() -> LoRALinear.builder().setUnits(-5).setRank(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("units -5");
    assertThatThrownBy(() -> LoRALinear.builder().setUnits(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank 0")
        .hasMessageContaining("setRank");
    assertThatThrownBy(() -> LoRALinear.builder().setUnits(3).setRank(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank -1");
    for (float alpha :
        new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> LoRALinear.builder().setUnits(3).setRank(2).optAlpha(alpha).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alpha " + alpha)
          .hasMessageContaining("optAlpha");
    }
    assertThatThrownBy(
            () ->
                LoRALinear.builder()
                    .setUnits(3)
                    .setRank(2)
                    .optBias(false)
                    .optTrainBias(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("optTrainBias(true)")
        .hasMessageContaining("optBias(true)");
  }

  @Test
  void initialisationGivesShapesFrozenBaseRandomAAndZeroB() {
    LoRALinear block =
        initialised(LoRALinear.builder().setUnits(3).setRank(2).build(), 7, new Shape(4, 5));
    Map<String, Parameter> p = block.getDirectParameters().toMap();

    assertThat(p.get("weight").getArray().getShape()).isEqualTo(new Shape(3, 5));
    assertThat(p.get("bias").getArray().getShape()).isEqualTo(new Shape(3));
    assertThat(p.get("loraA").getArray().getShape()).isEqualTo(new Shape(2, 5));
    assertThat(p.get("loraB").getArray().getShape()).isEqualTo(new Shape(3, 2));
    assertThat(p.get("weight").requiresGradient()).isFalse();
    assertThat(p.get("bias").requiresGradient()).isFalse();
    assertThat(p.get("loraA").requiresGradient()).isTrue();
    assertThat(p.get("loraB").requiresGradient()).isTrue();
    assertThat(p.get("weight").getArray().hasGradient()).isFalse();
    assertThat(p.get("loraB").getArray().toFloatArray()).containsOnly(0f);
    float bound = (float) (1 / Math.sqrt(5));
    float[] a = p.get("loraA").getArray().toFloatArray();
    for (float v : a) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
    }
    assertThat(maxAbsDiff(a, new float[a.length])).isGreaterThan(0.1f * bound);

    LoRALinear again =
        initialised(LoRALinear.builder().setUnits(3).setRank(2).build(), 7, new Shape(4, 5));
    assertThat(again.getDirectParameters().get("loraA").getArray().toFloatArray())
        .containsExactly(a);

    LoRALinear trainBias =
        initialised(
            LoRALinear.builder().setUnits(3).setRank(2).optTrainBias(true).build(),
            7,
            new Shape(4, 5));
    assertThat(trainBias.getDirectParameters().get("bias").requiresGradient()).isTrue();
    assertThat(trainBias.getDirectParameters().get("weight").requiresGradient()).isFalse();
  }

  @Test
  void theBaseStaysFrozenWhenSomethingUnfreezesEverything() {
    LoRALinear block =
        initialised(LoRALinear.builder().setUnits(3).setRank(2).build(), 5, new Shape(4, 5));
    Map<String, Parameter> p = block.getDirectParameters().toMap();

    block.freezeParameters(false); // what PtModel.newTrainer does to a loaded model
    forward(block, manager, manager.randomNormal(new Shape(2, 5)));

    assertThat(p.get("weight").requiresGradient()).isFalse();
    assertThat(p.get("weight").getArray().hasGradient()).isFalse();
    assertThat(p.get("bias").requiresGradient()).isFalse();
    assertThat(p.get("loraA").requiresGradient()).isTrue();
    assertThat(p.get("loraB").requiresGradient()).isTrue();

    block.freezeParameters(false);
    block.initialize(manager, DataType.FLOAT32, new Shape(4, 5));
    assertThat(p.get("weight").requiresGradient()).isFalse();

    block.freezeParameters(true, q -> q.getName().equals(LoRALinear.LORA_A)); // caller's choice
    forward(block, manager, manager.randomNormal(new Shape(2, 5)));
    assertThat(p.get("loraA").requiresGradient()).isFalse();
  }

  @Test
  void outputShapesKeepLeadingAxes() {
    LoRALinear block = LoRALinear.builder().setUnits(3).setRank(2).build();

    assertThat(block.getOutputShapes(new Shape[] {new Shape(7, 5)}))
        .containsExactly(new Shape(7, 3));
    assertThat(block.getOutputShapes(new Shape[] {new Shape(2, 4, 5)}))
        .containsExactly(new Shape(2, 4, 3));
  }

  @Test
  void forwardIsBasePlusScaledLowRankTerm() {
    int in = 5;
    int out = 3;
    int rank = 2;
    float alpha = 6f; // scale 3
    LoRALinear block =
        initialised(
            LoRALinear.builder().setUnits(out).setRank(rank).optAlpha(alpha).build(),
            11,
            new Shape(4, in));
    Map<String, Parameter> p = block.getDirectParameters().toMap();
    float[] w = p.get("weight").getArray().toFloatArray();
    float[] b = {0.5f, -1f, 2f};
    float[] a = p.get("loraA").getArray().toFloatArray();
    float[] bm = new float[out * rank];
    for (int i = 0; i < bm.length; i++) {
      bm[i] = 0.25f * (i + 1) * (i % 2 == 0 ? 1 : -1);
    }
    assign(p.get("bias"), b);
    assign(p.get("loraB"), bm);

    NDArray x = manager.randomNormal(new Shape(2, 4, in)); // (…, in) with two leading axes
    float[] y = forward(block, manager, x).toFloatArray();
    assertThat(forward(block, manager, x).getShape()).isEqualTo(new Shape(2, 4, out));

    float[] xs = x.toFloatArray();
    float[] expected = new float[8 * out];
    for (int n = 0; n < 8; n++) {
      float[] xa = new float[rank];
      for (int k = 0; k < rank; k++) {
        for (int j = 0; j < in; j++) {
          xa[k] += xs[n * in + j] * a[k * in + j];
        }
      }
      for (int o = 0; o < out; o++) {
        float base = b[o];
        for (int j = 0; j < in; j++) {
          base += xs[n * in + j] * w[o * in + j];
        }
        float delta = 0f;
        for (int k = 0; k < rank; k++) {
          delta += xa[k] * bm[o * rank + k];
        }
        expected[n * out + o] = base + alpha / rank * delta;
      }
    }
    assertThat(maxAbsDiff(y, expected)).isLessThan(1e-5f);
  }

  @Test
  void firstStepMovesOnlyBThenAFollowsAndTheBaseNeverMoves() {
    Engine.getInstance().setRandomSeed(3);
    try (Model model = Model.newInstance("lora")) {
      model.setBlock(LoRALinear.builder().setUnits(3).setRank(2).optAlpha(4f).build());
      Shape shape = new Shape(8, 5);
      try (Trainer trainer = sgdTrainer(model, 0.1f, shape)) {
        Map<String, Parameter> p = model.getBlock().getDirectParameters().toMap();
        Map<String, float[]> before = snapshot(model.getBlock());

        try (NDManager batch = trainer.getManager().newSubManager()) {
          NDArray x = batch.randomNormal(shape);
          NDArray y = batch.randomNormal(new Shape(8, 3));
          try (GradientCollector collector = trainer.newGradientCollector()) {
            collector.backward(
                trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
            try (NDArray gradA = p.get("loraA").getArray().getGradient();
                NDArray gradB = p.get("loraB").getArray().getGradient()) {
              assertThat(gradA.toFloatArray()).containsOnly(0f);
              assertThat(maxAbsDiff(gradB.toFloatArray(), new float[6])).isGreaterThan(0f);
            }
            trainer.step();
          }
        }
        Map<String, float[]> afterOne = snapshot(model.getBlock());
        assertThat(afterOne.get("weight")).containsExactly(before.get("weight"));
        assertThat(afterOne.get("bias")).containsExactly(before.get("bias"));
        assertThat(afterOne.get("loraA")).containsExactly(before.get("loraA"));
        assertThat(maxAbsDiff(afterOne.get("loraB"), before.get("loraB"))).isGreaterThan(0f);

        for (int i = 0; i < 4; i++) {
          step(trainer, shape, 3);
        }
        Map<String, float[]> afterFive = snapshot(model.getBlock());
        assertThat(afterFive.get("weight")).containsExactly(before.get("weight"));
        assertThat(afterFive.get("bias")).containsExactly(before.get("bias"));
        assertThat(maxAbsDiff(afterFive.get("loraA"), before.get("loraA"))).isGreaterThan(0f);
        assertThat(p.get("weight").requiresGradient()).isFalse();
        assertThat(p.get("weight").getArray().hasGradient()).isFalse();
      }
    }
  }

  @Test
  void trainBiasTrainsTheBiasButNotTheWeight() {
    Engine.getInstance().setRandomSeed(4);
    try (Model model = Model.newInstance("lora")) {
      model.setBlock(LoRALinear.builder().setUnits(3).setRank(2).optTrainBias(true).build());
      Shape shape = new Shape(8, 5);
      try (Trainer trainer = sgdTrainer(model, 0.1f, shape)) {
        Map<String, float[]> before = snapshot(model.getBlock());
        step(trainer, shape, 3);
        Map<String, float[]> after = snapshot(model.getBlock());
        assertThat(after.get("weight")).containsExactly(before.get("weight"));
        assertThat(maxAbsDiff(after.get("bias"), before.get("bias"))).isGreaterThan(0f);
      }
    }
  }

  @Test
  void saveAndLoadParametersRoundTripAndCheckTheConfiguration()
      throws IOException, MalformedModelException {
    LoRALinear saved =
        initialised(
            LoRALinear.builder().setUnits(3).setRank(2).optAlpha(5f).build(), 21, new Shape(4, 5));
    assign(saved.getDirectParameters().get("loraB"), new float[] {1f, 2f, 3f, 4f, 5f, 6f});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    saved.saveParameters(new DataOutputStream(bytes));

    LoRALinear loaded =
        initialised(
            LoRALinear.builder().setUnits(3).setRank(2).optAlpha(5f).build(), 99, new Shape(4, 5));
    loaded.loadParameters(
        manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    assertThat(snapshot(loaded)).containsOnlyKeys(snapshot(saved).keySet());
    snapshot(saved).forEach((k, v) -> assertThat(snapshot(loaded).get(k)).containsExactly(v));
    NDArray x = manager.randomNormal(new Shape(6, 5));
    assertThat(forward(loaded, manager, x).toFloatArray())
        .containsExactly(forward(saved, manager, x).toFloatArray());
    assertThat(loaded.getDirectParameters().get("weight").getArray().hasGradient()).isFalse();

    LoRALinear otherRank = LoRALinear.builder().setUnits(3).setRank(4).optAlpha(5f).build();
    assertThatThrownBy(
            () ->
                otherRank.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("rank 2")
        .hasMessageContaining("setRank(2)");
    LoRALinear otherAlpha = LoRALinear.builder().setUnits(3).setRank(2).build();
    assertThatThrownBy(
            () ->
                otherAlpha.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("alpha 5.0")
        .hasMessageContaining("optAlpha(5.0f)");
  }
}
