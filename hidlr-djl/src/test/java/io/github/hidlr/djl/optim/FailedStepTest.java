package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule that fails in the middle of an assembled step leaves the next step clean. */
class FailedStepTest {

  /** Plain gradient descent whose direction throws at a chosen call. */
  static final class Failing extends NdOptimizer {
    private int calls;
    private final int failAt;

    private Failing(Builder builder) {
      super(builder, List.of());
      this.failAt = builder.failAt;
    }

    @Override
    protected NDArray direction(String parameterId, NDArray weight, NDArray grad, long step) {
      if (++calls == failAt) {
        throw new IllegalStateException("boom: out of memory, say");
      }
      return grad;
    }

    static final class Builder extends NdOptimizer.Builder<Builder, Failing> {
      private int failAt;

      Builder(int failAt) {
        super(Failing::new);
        this.failAt = failAt;
      }
    }
  }

  @Test
  void aStepThatFailsPartWayIsDroppedWithItsGradientsAndTheNextOneRuns() {
    Block block = OptimFixtures.twoLayer(OptimFixtures.HIDDEN);
    Failing optimizer = new Failing.Builder(2).setBlock(block).setLearningRate(0.1f).build();
    try (OptimFixtures.Rig rig = OptimFixtures.rig(optimizer, block)) {
      assertThatThrownBy(() -> OptimFixtures.train(rig, 0, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("boom");
      assertThat(optimizer.stepIndex()).isZero();
      for (Pair<String, Parameter> p : block.getParameters()) {
        try (NDArray g = p.getValue().getArray().getGradient()) {
          assertThat(g.toFloatArray()).as(p.getKey()).containsOnly(0f);
        }
      }
      // Not "the previous step never finished": the failed one was dropped whole.
      OptimFixtures.train(rig, 1, 2);
      assertThat(optimizer.stepIndex()).isEqualTo(2);
    }
  }
}
