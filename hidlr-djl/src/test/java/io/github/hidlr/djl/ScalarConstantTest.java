package io.github.hidlr.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.github.hidlr.djl.lora.LoRALinear;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scalar that autograd keeps for the backward pass must survive a garbage collection between
 * forward and backward. DJL's {@code x.mul(2f)} does not: its scalar lives in a Java buffer
 * that the collector frees, and backward reads what a later allocation wrote there.
 */
class ScalarConstantTest {

  /** What a later allocation writes into freed 4-byte buffers. */
  private static final float GARBAGE = 12345f;

  @Test
  void aConstantSurvivesACollectionBetweenForwardAndBackward() throws Exception {
    for (int trial = 0; trial < 5; trial++) {
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray w = manager.create(new float[] {1, 2, 3});
        w.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y;
          // Closed at once, as DJL closes its Number scalars: PyTorch still owns the memory.
          try (NDArray two = Tensors.constant(w, 2)) {
            y = w.mul(two).sum();
          }
          collectAndReuseFreedBuffers();
          collector.backward(y);
        }
        assertThat(w.getGradient().toFloatArray()).as("trial %d", trial)
            .containsExactly(2, 2, 2);
      }
    }
  }

  @Test
  void theHalfSquaredErrorIsDjlsL2LossBitForBitWithItsGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      NDArray label = manager.randomNormal(new Shape(64, 1));
      NDArray prediction = manager.randomNormal(new Shape(64));
      float[][] ours = lossAndGradient(new HalfSquaredErrorLoss(), label, prediction);
      float[][] djl = lossAndGradient(Loss.l2Loss(), label, prediction);
      assertThat(ours[0]).containsExactly(djl[0]);
      assertThat(ours[1]).containsExactly(djl[1]);
      assertThat(new HalfSquaredErrorLoss().getName()).isEqualTo("L2Loss");
    }
  }

  @Test
  void loraGradientsSurviveACollectionBetweenForwardAndBackward() throws Exception {
    float[] calm = loraGradient(false);
    float[] collected = loraGradient(true);
    assertThat(collected).containsExactly(calm);
    assertThat(calm).doesNotContain(GARBAGE);
  }

  /** The gradient of LoRA's A (scale α/r = 2) on a fixed batch, with a collection or not. */
  private static float[] loraGradient(boolean collect) throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      LoRALinear lora = LoRALinear.builder().setUnits(3).setRank(2).optAlpha(4f).build();
      lora.initialize(manager, DataType.FLOAT32, new Shape(8, 5));
      // B starts at zero, which would make A's gradient zero: give it values.
      Tensors.assign(lora.getDirectParameters().get(LoRALinear.LORA_B).getArray(),
          manager.randomNormal(new Shape(3, 2)));
      NDArray x = manager.randomNormal(new Shape(8, 5));
      NDArray a = lora.getDirectParameters().get(LoRALinear.LORA_A).getArray();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = lora.forward(new ParameterStore(manager, false), new NDList(x), true)
            .singletonOrThrow();
        if (collect) {
          collectAndReuseFreedBuffers();
        }
        collector.backward(out.sum());
      }
      return a.getGradient().toFloatArray();
    }
  }

  private static float[][] lossAndGradient(Loss loss, NDArray label, NDArray prediction) {
    NDArray p = prediction.duplicate();
    p.setRequiresGradient(true);
    float value;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray l = loss.evaluate(new NDList(label), new NDList(p));
      value = l.getFloat();
      collector.backward(l);
    }
    return new float[][] {{value}, p.getGradient().toFloatArray()};
  }

  /** Runs the collector, then allocates many 4-byte direct buffers holding {@link #GARBAGE}. */
  private static void collectAndReuseFreedBuffers() throws InterruptedException {
    System.gc();
    Thread.sleep(50);
    List<ByteBuffer> keep = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      buffer.putFloat(0, GARBAGE);
      keep.add(buffer);
    }
    assertThat(keep).hasSize(1000);
  }
}
