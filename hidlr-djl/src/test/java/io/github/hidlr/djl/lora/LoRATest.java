package io.github.hidlr.djl.lora;

import static io.github.hidlr.djl.lora.LoRATesting.HIDDEN;
import static io.github.hidlr.djl.lora.LoRATesting.IN;
import static io.github.hidlr.djl.lora.LoRATesting.OUT;
import static io.github.hidlr.djl.lora.LoRATesting.forward;
import static io.github.hidlr.djl.lora.LoRATesting.maxAbsDiff;
import static io.github.hidlr.djl.lora.LoRATesting.pretrainedMlp;
import static io.github.hidlr.djl.lora.LoRATesting.sgdTrainer;
import static io.github.hidlr.djl.lora.LoRATesting.snapshot;
import static io.github.hidlr.djl.lora.LoRATesting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoRATest {

  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private static List<String> names(Block block, Predicate<String> test) {
    return block.getParameters().keys().stream().filter(test).collect(Collectors.toList());
  }

  private static List<String> childNames(Block block) {
    return block.getChildren().keys();
  }

  @Test
  void fromLinearCopiesTheTrainedLayerIntoAFrozenBase() {
    try (Model pretrained = pretrainedMlp(1)) {
      Linear linear = (Linear) pretrained.getBlock().getChildren().get(2).getValue(); // 03Linear
      LoRALinear lora = LoRA.fromLinear(linear, 4, 8f, manager);

      assertThat(lora.getUnits()).isEqualTo(HIDDEN);
      assertThat(lora.getRank()).isEqualTo(4);
      assertThat(lora.getScale()).isEqualTo(2f);
      Map<String, float[]> source = snapshot(linear);
      Map<String, float[]> copy = snapshot(lora);
      assertThat(copy.get("weight")).containsExactly(source.get("weight"));
      assertThat(copy.get("bias")).containsExactly(source.get("bias"));
      assertThat(maxAbsDiff(source.get("bias"), new float[HIDDEN])).isGreaterThan(0f); // trained
      assertThat(copy.get("loraB")).containsOnly(0f);
      assertThat(lora.getDirectParameters().get("weight").requiresGradient()).isFalse();
      assertThat(lora.getDirectParameters().get("bias").requiresGradient()).isFalse();
      assertThat(lora.getDirectParameters().get("weight").getArray().getManager())
          .isSameAs(manager);
      assertThat(lora.getDirectParameters().get("weight").getArray())
          .isNotSameAs(linear.getParameters().get("weight").getArray());

      NDArray x = manager.randomNormal(new Shape(5, HIDDEN));
      assertThat(maxAbsDiff(forward(lora, manager, x).toFloatArray(),
              forward(linear, manager, x).toFloatArray()))
          .isLessThanOrEqualTo(1e-6f);

      // The default manager is the source layer's (the pretrained model's).
      LoRALinear inSource = LoRA.fromLinear(linear, 2, 2f);
      assertThat(inSource.getDirectParameters().get("loraA").getArray().getManager())
          .isSameAs(linear.getParameters().get("weight").getArray().getManager());
    }
  }

  @Test
  void fromLinearWithoutBiasHasNoBias() {
    Engine.getInstance().setRandomSeed(2);
    Linear linear = Linear.builder().setUnits(4).optBias(false).build();
    linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));

    LoRALinear lora = LoRA.fromLinear(linear, 1, 1f, manager);

    assertThat(lora.hasBias()).isFalse();
    assertThat(lora.getDirectParameters().keys()).containsExactly("weight", "loraA", "loraB");
    NDArray x = manager.randomNormal(new Shape(2, 3));
    assertThat(maxAbsDiff(forward(lora, manager, x).toFloatArray(),
            forward(linear, manager, x).toFloatArray()))
        .isLessThanOrEqualTo(1e-6f);
  }

  @Test
  void wrapAllButHeadKeepsOutputsSharesTheRestAndReportsExactGroups() {
    try (Model pretrained = pretrainedMlp(5)) {
      SequentialBlock net = (SequentialBlock) pretrained.getBlock();
      Map<String, float[]> sourceBefore = snapshot(net);

      LoRAWrapped wrapped = LoRA.wrapAllButHead(net, 4, 8f);
      SequentialBlock block = wrapped.block();

      assertThat(childNames(block))
          .containsExactly(
              "01LoRALinear", "02LambdaBlock", "03LoRALinear", "04LambdaBlock", "05Linear");
      assertThat(childNames(net))
          .containsExactly("01Linear", "02LambdaBlock", "03Linear", "04LambdaBlock", "05Linear");
      for (int i : new int[] {1, 3, 4}) { // lambdas and head are the same objects
        assertThat(block.getChildren().get(i).getValue())
            .isSameAs(net.getChildren().get(i).getValue());
      }
      assertThat(wrapped.loraPaths()).containsExactly("01LoRALinear", "03LoRALinear");
      assertThat(wrapped.headPath()).isEqualTo("05Linear");
      assertThat(block.isInitialized()).isTrue();
      assertThat(block.getOutputShapes(new Shape[] {new Shape(8, IN)}))
          .containsExactly(new Shape(8, OUT));

      NDArray x = manager.randomNormal(new Shape(10, IN));
      assertThat(maxAbsDiff(forward(block, manager, x).toFloatArray(),
              forward(net, manager, x).toFloatArray()))
          .isLessThanOrEqualTo(1e-6f);

      LoRAGroups groups = wrapped.groups();
      assertThat(names(block, groups::isA))
          .containsExactly("01LoRALinear_loraA", "03LoRALinear_loraA");
      assertThat(names(block, groups::isB))
          .containsExactly("01LoRALinear_loraB", "03LoRALinear_loraB");
      assertThat(names(block, groups::isHead)).containsExactly("05Linear_weight", "05Linear_bias");
      assertThat(names(block, n -> n.matches(groups.aPattern())))
          .isEqualTo(names(block, groups::isA));
      assertThat(groups.aPattern()).isEqualTo("^(?:01LoRALinear_loraA|03LoRALinear_loraA)$");
      // the frozen base and the trainable parameters are exactly split
      List<String> trainable =
          block.getParameters().stream()
              .filter(p -> p.getValue().requiresGradient())
              .map(p -> p.getKey())
              .collect(Collectors.toList());
      assertThat(trainable)
          .containsExactlyInAnyOrder(
              "01LoRALinear_loraA", "01LoRALinear_loraB", "03LoRALinear_loraA",
              "03LoRALinear_loraB", "05Linear_weight", "05Linear_bias");
      // the source network's replaced layers were copied, not changed
      snapshot(net).forEach((k, v) -> assertThat(v).containsExactly(sourceBefore.get(k)));
    }
  }

  @Test
  void wrapReplacesExactlyTheSelectedLayers() {
    try (Model pretrained = pretrainedMlp(6)) {
      SequentialBlock net = (SequentialBlock) pretrained.getBlock();
      assertThat(LoRA.linearPaths(net)).containsExactly("01Linear", "03Linear", "05Linear");

      SequentialBlock block = LoRA.wrap(net, 2, 4f, "03Linear"::equals, manager);

      assertThat(childNames(block))
          .containsExactly(
              "01Linear", "02LambdaBlock", "03LoRALinear", "04LambdaBlock", "05Linear");
      assertThat(block.getChildren().get(0).getValue())
          .isSameAs(net.getChildren().get(0).getValue());
      LoRALinear lora = (LoRALinear) block.getChildren().get(2).getValue();
      assertThat(lora.getRank()).isEqualTo(2);
      assertThat(lora.getAlpha()).isEqualTo(4f);
      assertThat(lora.getDirectParameters().get("loraA").getArray().getManager()).isSameAs(manager);
      NDArray x = manager.randomNormal(new Shape(4, IN));
      assertThat(maxAbsDiff(forward(block, manager, x).toFloatArray(),
              forward(net, manager, x).toFloatArray()))
          .isLessThanOrEqualTo(1e-6f);

      LoRAGroups groups = LoRA.groups(block, "05Linear");
      assertThat(names(block, groups::isA)).containsExactly("03LoRALinear_loraA");
      assertThat(names(block, groups::isB)).containsExactly("03LoRALinear_loraB");
      assertThat(names(block, groups::isHead)).containsExactly("05Linear_weight", "05Linear_bias");
    }
  }

  @Test
  void wrapRecursesIntoNestedSequentialBlocks() {
    Engine.getInstance().setRandomSeed(8);
    SequentialBlock net =
        new SequentialBlock()
            .add(
                new SequentialBlock()
                    .add(Linear.builder().setUnits(HIDDEN).build())
                    .add(Activation::relu))
            .add(Linear.builder().setUnits(HIDDEN).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(OUT).build());
    net.initialize(manager, DataType.FLOAT32, new Shape(1, IN));
    assertThat(LoRA.linearPaths(net))
        .containsExactly("01SequentialBlock_01Linear", "02Linear", "04Linear");

    LoRAWrapped wrapped = LoRA.wrapAllButHead(net, 3, 3f, manager);

    assertThat(wrapped.loraPaths())
        .containsExactly("01SequentialBlock_01LoRALinear", "02LoRALinear");
    assertThat(wrapped.headPath()).isEqualTo("04Linear");
    SequentialBlock block = wrapped.block();
    assertThat(block.getChildren().get(0).getValue())
        .isNotSameAs(net.getChildren().get(0).getValue());
    assertThat(childNames(net.getChildren().get(0).getValue()))
        .containsExactly("01Linear", "02LambdaBlock");
    NDArray x = manager.randomNormal(new Shape(4, IN));
    assertThat(maxAbsDiff(forward(block, manager, x).toFloatArray(),
            forward(net, manager, x).toFloatArray()))
        .isLessThanOrEqualTo(1e-6f);
    LoRAGroups groups = wrapped.groups();
    assertThat(names(block, groups::isA))
        .containsExactly("01SequentialBlock_01LoRALinear_loraA", "02LoRALinear_loraA");
    assertThat(names(block, groups::isB))
        .containsExactly("01SequentialBlock_01LoRALinear_loraB", "02LoRALinear_loraB");
    assertThat(names(block, groups::isHead)).containsExactly("04Linear_weight", "04Linear_bias");

    SequentialBlock onlyNested =
        LoRA.wrap(net, 2, 2f, p -> p.startsWith("01SequentialBlock_"), manager);
    assertThat(childNames(onlyNested.getChildren().get(0).getValue()))
        .containsExactly("01LoRALinear", "02LambdaBlock");
    assertThat(onlyNested.getChildren().get(1).getValue())
        .isSameAs(net.getChildren().get(1).getValue());
  }

  @Test
  void wrapRejectsBadInputListingWhatExists() {
    try (Model pretrained = pretrainedMlp(9)) {
      SequentialBlock net = (SequentialBlock) pretrained.getBlock();

      assertThatThrownBy(() -> LoRA.wrap(net, 2, 2f, p -> p.equals("02Linear")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[01Linear, 03Linear, 05Linear]");
      assertThatThrownBy(() -> LoRA.wrap(net, 0, 2f, p -> true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rank 0");
      assertThatThrownBy(() -> LoRA.wrapAllButHead(net, 2, Float.NaN))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alpha NaN");
      SequentialBlock wrapped = LoRA.wrap(net, 2, 2f, p -> true);
      assertThatThrownBy(() -> LoRA.groups(wrapped, "05LoRALinear"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("overlap");
      assertThatThrownBy(() -> LoRA.groups(wrapped, "06Linear"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("05LoRALinear");
      assertThatThrownBy(() -> LoRA.groups(net, "05Linear"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no LoRALinear");
    }
    SequentialBlock uninitialised = LoRATesting.mlp();
    assertThatThrownBy(() -> LoRA.wrapAllButHead(uninitialised, 2, 2f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not initialised");
    SequentialBlock single = new SequentialBlock().add(Linear.builder().setUnits(2).build());
    single.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    assertThatThrownBy(() -> LoRA.wrapAllButHead(single, 2, 2f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[01Linear]");
    assertThatThrownBy(() -> new LoRAGroups("(", "b", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aPattern");
  }

  @Test
  void trainingTheWrappedNetworkMovesOnlyLoRAAndHead() {
    try (Model pretrained = pretrainedMlp(10);
        Model model = Model.newInstance("lora")) {
      LoRAWrapped wrapped =
          LoRA.wrapAllButHead((SequentialBlock) pretrained.getBlock(), 4, 8f, model.getNDManager());
      model.setBlock(wrapped.block());
      Shape shape = new Shape(8, IN);
      try (Trainer trainer = sgdTrainer(model, 0.05f, shape)) {
        Map<String, float[]> before = snapshot(model.getBlock());
        LoRATesting.step(trainer, shape, OUT);
        Map<String, float[]> after = snapshot(model.getBlock());
        for (String name : before.keySet()) {
          boolean moved = maxAbsDiff(before.get(name), after.get(name)) > 0f;
          boolean shouldMove = wrapped.groups().isB(name) || wrapped.groups().isHead(name);
          assertThat(moved).as(name).isEqualTo(shouldMove);
        }
      }
    }
  }

  @Test
  void modelSaveAndLoadRoundTrip(@TempDir Path dir) throws IOException, MalformedModelException {
    Shape shape = new Shape(8, IN);
    NDArray x = manager.randomNormal(new Shape(5, IN));
    float[] expected;
    Map<String, float[]> saved;
    try (Model pretrained = pretrainedMlp(12);
        Model model = Model.newInstance("lora")) {
      model.setBlock(
          LoRA.wrapAllButHead((SequentialBlock) pretrained.getBlock(), 4, 8f, model.getNDManager())
              .block());
      try (Trainer trainer = sgdTrainer(model, 0.05f, shape)) {
        for (int i = 0; i < 3; i++) {
          step(trainer, shape, OUT); // A, B and the head now differ from their initial values
        }
      }
      model.save(dir, "lora");
      expected = forward(model.getBlock(), manager, x).toFloatArray();
      saved = snapshot(model.getBlock());
    }

    Engine.getInstance().setRandomSeed(99);
    try (Model loaded = Model.newInstance("lora")) {
      loaded.setBlock(
          new SequentialBlock()
              .add(LoRALinear.builder().setUnits(HIDDEN).setRank(4).optAlpha(8f).build())
              .add(Activation::relu)
              .add(LoRALinear.builder().setUnits(HIDDEN).setRank(4).optAlpha(8f).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(OUT).build()));
      loaded.load(dir, "lora");

      Block block = loaded.getBlock();
      assertThat(snapshot(block)).containsOnlyKeys(saved.keySet());
      saved.forEach((k, v) -> assertThat(snapshot(block).get(k)).as(k).containsExactly(v));
      assertThat(forward(block, manager, x).toFloatArray()).containsExactly(expected);
      Map<String, Parameter> params = block.getParameters().toMap();
      assertThat(params.get("01LoRALinear_weight").requiresGradient()).isFalse();
      assertThat(params.get("01LoRALinear_bias").requiresGradient()).isFalse();
      assertThat(params.get("01LoRALinear_loraB").requiresGradient()).isTrue();

      // trainer.initialize keeps the loaded values; training goes on with the base frozen
      // (PtModel.newTrainer unfreezes every parameter of a loaded model; the base re-freezes)
      try (Trainer trainer = sgdTrainer(loaded, 0.05f, shape)) {
        assertThat(params.get("03LoRALinear_weight").requiresGradient()).isFalse();
        assertThat(params.get("03LoRALinear_bias").requiresGradient()).isFalse();
        assertThat(params.get("03LoRALinear_loraA").requiresGradient()).isTrue();
        assertThat(forward(block, manager, x).toFloatArray()).containsExactly(expected);
        step(trainer, shape, OUT);
        Map<String, float[]> after = snapshot(block);
        assertThat(after.get("03LoRALinear_weight"))
            .containsExactly(saved.get("03LoRALinear_weight"));
        assertThat(maxAbsDiff(after.get("03LoRALinear_loraA"), saved.get("03LoRALinear_loraA")))
            .isGreaterThan(0f);
        assertThat(maxAbsDiff(after.get("03LoRALinear_loraB"), saved.get("03LoRALinear_loraB")))
            .isGreaterThan(0f);
      }
    }
  }
}
