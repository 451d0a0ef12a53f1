package io.github.hidlr.cli.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Where the training loss of a checkpoint is measured. */
class TaskDataTest {

  @Test
  void theTrainingLossIsOnTheWholeTrainingSetUnlessASubsetIsAskedFor() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Task.Data data = new Task.Data(manager.arange(12f).reshape(6, 2), manager.arange(6f),
          manager.zeros(new Shape(2, 2)), manager.zeros(new Shape(2)));
      assertThat(data.trainLossX()).isSameAs(data.trainX());

      Task.Data first = data.trainLossOnFirst(4);
      assertThat(first.trainLossX().toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
      assertThat(first.trainLossY().toFloatArray()).containsExactly(0, 1, 2, 3);
      assertThat(first.trainX()).as("training draws from the whole set").isSameAs(data.trainX());
      assertThat(data.trainLossOnFirst(100).trainLossY().toFloatArray()).hasSize(6);
      assertThatThrownBy(() -> data.trainLossOnFirst(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }
  }
}
