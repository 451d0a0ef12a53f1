package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checkpointing the optimizer state: exact round trips and clear errors for wrong streams. */
class NdOptimizerStateTest {

  private static final float LR = 0.05f;

  static List<OptimCases.Case> cases() {
    return OptimCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void savedAndLoadedStateContinuesBitForBit(OptimCases.Case c) {
    NdOptimizer original = c.build(LR);
    NdOptimizer restored = c.build(LR);
    try (OptimFixtures.Rig a = OptimFixtures.rig(original);
        OptimFixtures.Rig b = OptimFixtures.rig(restored)) {
      OptimFixtures.train(a, 0, 3);
      byte[] state = OptimFixtures.saveState(original, a.block());
      // A fresh run resumed from the checkpoint: same weights, fresh optimizer, loaded state.
      OptimFixtures.copyWeights(a.block(), b.block());
      OptimFixtures.loadState(restored, b.block(), b.trainer.getManager(), state);

      OptimFixtures.train(a, 3, 3);
      OptimFixtures.train(b, 3, 3);

      OptimFixtures.assertSameWeights(a.block(), b.block());
      // And the state itself survives a second round trip unchanged.
      assertThat(OptimFixtures.saveState(restored, b.block()))
          .isEqualTo(OptimFixtures.saveState(original, a.block()));
    }
  }

  @Test
  void givenItsBlockAdamStepsBitForBitAsWithoutAndResumesWithItsStepIndex() {
    ai.djl.nn.Block blockA = OptimFixtures.twoLayer(OptimFixtures.HIDDEN);
    ai.djl.nn.Block blockB = OptimFixtures.twoLayer(OptimFixtures.HIDDEN);
    NdOptimizer assembled = Optimizers.adam().setBlock(blockA).setLearningRate(LR).build();
    NdOptimizer perParameter = Optimizers.adam().setLearningRate(LR).build();
    NdOptimizer resumed = Optimizers.adam().setBlock(blockB).setLearningRate(LR).build();
    try (OptimFixtures.Rig a = OptimFixtures.rig(assembled, blockA);
        OptimFixtures.Rig p = OptimFixtures.rig(perParameter);
        OptimFixtures.Rig b = OptimFixtures.rig(resumed, blockB)) {
      OptimFixtures.train(a, 0, 3);
      OptimFixtures.train(p, 0, 3);
      // Assembling the step changes when the weights move, not what they become.
      OptimFixtures.assertSameWeights(a.block(), p.block());
      assertThat(assembled.stepIndex()).isEqualTo(3);
      assertThat(perParameter.stepIndex()).as("no block: steps are not counted").isZero();
      byte[] state = OptimFixtures.saveState(assembled, a.block());
      OptimFixtures.copyWeights(a.block(), b.block());
      OptimFixtures.loadState(resumed, b.block(), b.trainer.getManager(), state);
      assertThat(resumed.stepIndex()).isEqualTo(3);
      OptimFixtures.train(a, 3, 2);
      OptimFixtures.train(b, 3, 2);
      OptimFixtures.assertSameWeights(a.block(), b.block());
      assertThat(resumed.stepIndex()).isEqualTo(5);
    }
  }

  @Test
  void adamWithoutItsStateWouldDiverge() {
    // Guards the round-trip test: were state or step counter not restored, Adam would differ.
    NdOptimizer original = Optimizers.adam().setLearningRate(LR).build();
    NdOptimizer fresh = Optimizers.adam().setLearningRate(LR).build();
    try (OptimFixtures.Rig a = OptimFixtures.rig(original);
        OptimFixtures.Rig b = OptimFixtures.rig(fresh)) {
      OptimFixtures.train(a, 0, 3);
      OptimFixtures.copyWeights(a.block(), b.block());
      OptimFixtures.train(a, 3, 1);
      OptimFixtures.train(b, 3, 1);
      assertThat(OptimFixtures.weights(b.block()).get("01Linear_weight"))
          .isNotEqualTo(OptimFixtures.weights(a.block()).get("01Linear_weight"));
    }
  }

  @Test
  void aBlockWithOtherShapesIsRejectedByName() {
    byte[] state = trainedAdamState();
    NdOptimizer target = Optimizers.adam().setLearningRate(LR).build();
    try (OptimFixtures.Rig wider = OptimFixtures.rig(target, OptimFixtures.twoLayer(5))) {
      assertThatThrownBy(
              () ->
                  OptimFixtures.loadState(target, wider.block(), wider.trainer.getManager(), state))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("01Linear_weight")
          .hasMessageContaining("(4, 3)")
          .hasMessageContaining("(5, 3)");
    }
  }

  @Test
  void aBlockWithOtherNamesIsRejectedListingTheKnownOnes() {
    byte[] state = trainedAdamState();
    NdOptimizer target = Optimizers.adam().setLearningRate(LR).build();
    Block nested =
        new SequentialBlock()
            .add(new SequentialBlock().add(Linear.builder().setUnits(4).build()))
            .add(Linear.builder().setUnits(OptimFixtures.OUT).build());
    try (OptimFixtures.Rig other = OptimFixtures.rig(target, nested)) {
      assertThatThrownBy(
              () ->
                  OptimFixtures.loadState(target, other.block(), other.trainer.getManager(), state))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"01Linear_weight\"")
          .hasMessageContaining("01SequentialBlock_01Linear_weight");
    }
  }

  @Test
  void anotherOptimizerTypeOrSlotLayoutIsRejected() {
    byte[] state = trainedAdamState();
    NdOptimizer sgd = Optimizers.sgd().setLearningRate(LR).optMomentum(0.9f).build();
    try (OptimFixtures.Rig rig = OptimFixtures.rig(sgd)) {
      assertThatThrownBy(
              () -> OptimFixtures.loadState(sgd, rig.block(), rig.trainer.getManager(), state))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Adam.class.getName())
          .hasMessageContaining(Sgd.class.getName());

      OptimFixtures.train(rig, 0, 1);
      byte[] momentumState = OptimFixtures.saveState(sgd, rig.block());
      NdOptimizer plain = Optimizers.sgd().setLearningRate(LR).build();
      assertThatThrownBy(
              () ->
                  OptimFixtures.loadState(
                      plain, rig.block(), rig.trainer.getManager(), momentumState))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[momentum_buffer]")
          .hasMessageContaining("momentum");
    }
  }

  @Test
  void corruptOrTruncatedStreamsAreRejectedAndLeaveTheStateAlone() {
    NdOptimizer optimizer = Optimizers.adam().setLearningRate(LR).build();
    try (OptimFixtures.Rig rig = OptimFixtures.rig(optimizer)) {
      OptimFixtures.train(rig, 0, 2);
      byte[] good = OptimFixtures.saveState(optimizer, rig.block());
      Block block = rig.block();

      byte[] garbage = "definitely not optimizer state".getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(
              () -> OptimFixtures.loadState(optimizer, block, rig.trainer.getManager(), garbage))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not an optimizer state stream");

      byte[] truncated = Arrays.copyOf(good, good.length - 10);
      assertThatThrownBy(
              () -> OptimFixtures.loadState(optimizer, block, rig.trainer.getManager(), truncated))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ends early");

      byte[] newer = good.clone();
      newer[7] = 99; // the version int follows the 4-byte magic
      assertThatThrownBy(
              () -> OptimFixtures.loadState(optimizer, block, rig.trainer.getManager(), newer))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version 99");

      // Failed loads installed nothing: the state is what it was.
      assertThat(OptimFixtures.saveState(optimizer, block)).isEqualTo(good);
    }
  }

  @Test
  void frozenParametersAreNotSavedAndStartFresh() {
    NdOptimizer optimizer = Optimizers.adam().setLearningRate(LR).build();
    try (OptimFixtures.Rig rig = OptimFixtures.rig(optimizer)) {
      rig.block().getChildren().get(0).getValue().freezeParameters(true);
      OptimFixtures.train(rig, 0, 2);
      byte[] state = OptimFixtures.saveState(optimizer, rig.block());
      String text = new String(state, StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain("01Linear").contains("02Linear_weight");

      NdOptimizer restored = Optimizers.adam().setLearningRate(LR).build();
      OptimFixtures.loadState(restored, rig.block(), rig.trainer.getManager(), state);
      assertThat(OptimFixtures.saveState(restored, rig.block())).isEqualTo(state);
    }
  }

  private static byte[] trainedAdamState() {
    NdOptimizer optimizer = Optimizers.adam().setLearningRate(LR).build();
    try (OptimFixtures.Rig rig = OptimFixtures.rig(optimizer)) {
      OptimFixtures.train(rig, 0, 2);
      return OptimFixtures.saveState(optimizer, rig.block());
    }
  }
}
