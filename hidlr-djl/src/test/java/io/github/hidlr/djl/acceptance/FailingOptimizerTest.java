package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A base optimizer that fails in the middle of a step (after updating some parameters) must
 * leave every weight where it was, and the next step must work as if nothing had happened.
 */
class FailingOptimizerTest {

  /** DJL's SGD that throws once, on the second parameter of its second update round. */
  private static final class FailingOnce extends Optimizer {
    private final Optimizer delegate =
        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build();
    private int calls;
    boolean armed;

    FailingOnce() {
      super(new Builder());
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
      if (armed && ++calls == 2) {
        armed = false;
        throw new IllegalStateException("optimizer failed part-way");
      }
      delegate.update(parameterId, weight, grad);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
      @Override
      protected Builder self() {
        return this;
      }
    }
  }

  @Test
  void aBaseOptimizerFailingPartWayLeavesEveryWeightInPlace() {
    Engine.getInstance().setRandomSeed(4);
    try (Model model = Model.newInstance("failing")) {
      model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(3).build())
          .add(Linear.builder().setUnits(1).build()));
      FailingOnce failing = new FailingOnce();
      HiDlrOptimizer hidlr = HiDlr.on(failing, 0.05f)
          .groups(ParameterGroups.builder().add(GroupSpec.pattern("first", "01Linear_.*"))
              .add(GroupSpec.pattern("second", "02Linear_.*")).build())
          .tuner(TunerConfig.hiDlr().setInitialRate(0.05).build()).probesPerStep()
          .build(model, new HalfSquaredErrorLoss());
      try (Trainer trainer = model.newTrainer(
          new DefaultTrainingConfig(new HalfSquaredErrorLoss()).optOptimizer(hidlr))) {
        trainer.initialize(new Shape(4, 2));
        NDManager manager = trainer.getManager();
        NDList x = new NDList(manager.create(new float[][] {{1, 2}, {0, 1}, {-1, 0}, {2, -1}}));
        NDList y = new NDList(manager.create(new float[][] {{1}, {0}, {-1}, {2}}));

        Acceptance.backward(trainer, x, y);
        Acceptance.step(trainer, hidlr, x, y);
        Map<String, float[]> before = Acceptance.snapshot(model.getBlock());
        failing.armed = true;
        Acceptance.backward(trainer, x, y);
        assertThatThrownBy(() -> Acceptance.step(trainer, hidlr, x, y))
            .hasMessage("optimizer failed part-way");
        Map<String, float[]> after = Acceptance.snapshot(model.getBlock());
        for (String name : before.keySet()) {
          assertThat(after.get(name)).as(name).containsExactly(before.get(name));
        }
        // the next step trains normally: one capture per parameter, no stale ones
        double lossBefore = Acceptance.loss(trainer, x, y);
        Acceptance.backward(trainer, x, y);
        Acceptance.step(trainer, hidlr, x, y);
        assertThat(Acceptance.loss(trainer, x, y)).isLessThan(lossBefore);
        assertThat(hidlr.tuner().orElseThrow().stepCount()).isEqualTo(2);
      }
    }
  }
}
