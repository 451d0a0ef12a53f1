package io.github.hidlr.cli.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

/** A checkpoint scores the model chunk by chunk; the scores must not depend on it. */
class ChunkedPredictionTest {

  @Test
  void predictionsInChunksEqualOnePassOverTheWholeSet() {
    Engine.getInstance().setRandomSeed(7);
    try (Model model = Model.newInstance("chunks")) {
      model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(16).build())
          .add(Activation::relu).add(Linear.builder().setUnits(3).build()));
      try (Trainer trainer = model.newTrainer(
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
        trainer.initialize(new Shape(1, 5));
        NDManager manager = trainer.getManager();
        // Not a multiple of the chunk: the last chunk is short.
        long n = 2 * MethodTrainer.EVAL_CHUNK + 37;
        NDArray x = manager.randomNormal(new Shape(n, 5));

        NDArray chunked = MethodTrainer.predict(trainer, x);
        NDArray whole = trainer.evaluate(new NDList(x)).singletonOrThrow();

        assertThat(chunked.getShape()).isEqualTo(new Shape(n, 3));
        float[] a = chunked.toFloatArray();
        float[] b = whole.toFloatArray();
        for (int i = 0; i < a.length; i++) {
          assertThat(a[i]).as("output %d", i).isCloseTo(b[i],
              org.assertj.core.api.Assertions.within(1e-5f * (1 + Math.abs(b[i]))));
        }
        assertThat(chunked.argMax(1).toLongArray()).containsExactly(
            whole.argMax(1).toLongArray());
      }
    }
  }
}
