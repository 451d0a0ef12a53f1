package io.github.hidlr.cli.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.github.hidlr.cli.Profile;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.report.RunOutput;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grids that widen until their best point is inside, and divergence recorded, not thrown. */
class ComparisonTest {

  /** {@code y = 2 x0 − x1 + 0.5}, 256 points, seeded: plain SGD converges below rate ~1. */
  private static Task regression() {
    Random random = new Random(5);
    float[][] x = new float[320][2];
    float[] y = new float[320];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = (float) random.nextGaussian();
      x[i][1] = (float) random.nextGaussian();
      y[i] = 2 * x[i][0] - x[i][1] + 0.5f;
    }
    return new Task("line", m -> Linear.builder().setUnits(1).build(), new Shape(1, 2), null,
        m -> new Task.Data(m.create(java.util.Arrays.copyOf(x, 256)).reshape(256, 2),
            m.create(java.util.Arrays.copyOf(y, 256)).reshape(256, 1),
            m.create(java.util.Arrays.copyOfRange(x, 256, 320)).reshape(64, 2),
            m.create(java.util.Arrays.copyOfRange(y, 256, 320)).reshape(64, 1)),
        HalfSquaredErrorLoss::new, Task.Kind.REGRESSION);
  }

  private static final DoubleFunction<NdOptimizer.Builder<?, ?>> SGD =
      rate -> Optimizers.sgd().setLearningRate((float) rate);

  @Test
  void aGridWhoseBestIsOnTheEdgeIsWidenedUntilTheBestIsInside(@TempDir Path out) {
    Comparison comparison = new Comparison(
        new ExperimentContext(Profile.TINY, 1, new RunOutput(out), false),
        new MethodTrainer(1, 40, 32));
    // 1e-3 and 3e-3 are far too small for 40 steps: the grid must grow upward
    MethodResult best = comparison.bestOf(regression(), "ulr-best", Methods.ulr(SGD),
        new double[] {1e-3, 3e-3}, 40);
    assertThat(best.method()).startsWith("ulr-best (ulr ").isNotEqualTo("ulr-best (ulr 0.00300)");
    double chosen = Double.parseDouble(best.method().replaceAll(".*ulr ([0-9.e-]+)\\)", "$1"));
    assertThat(chosen).isGreaterThan(3e-3 * 2.9).isLessThanOrEqualTo(3e-3 * 27.1);
    assertThat(best.diverged()).isFalse();
  }

  @Test
  void aDivergingMethodIsRecordedAndTheOthersGoOn(@TempDir Path out) {
    Comparison comparison = new Comparison(
        new ExperimentContext(Profile.TINY, 1, new RunOutput(out), false),
        new MethodTrainer(1, 40, 32));
    MethodResult diverged = comparison.train(regression(),
        Method.plain("huge", Methods.at(SGD, 50)), 40);
    assertThat(diverged.diverged()).isTrue();
    assertThat(diverged.checkpoints()).hasSize(3);
    MethodResult fine = comparison.train(regression(),
        Method.plain("fine", Methods.at(SGD, 0.1)), 40);
    assertThat(fine.diverged()).isFalse();
    assertThat(fine.last().testLoss()).isLessThan(0.05);
    List<ResultRow> rows = comparison.write(regression(), List.of(diverged, fine));
    assertThat(rows.get(0).isDiverged()).isTrue();
    assertThat(rows.get(1).isDiverged()).isFalse();
  }

  @Test
  void aTunedMethodThatDivergesIsRecordedToo(@TempDir Path out) {
    Comparison comparison = new Comparison(
        new ExperimentContext(Profile.TINY, 1, new RunOutput(out), false),
        new MethodTrainer(1, 40, 32));
    // the paper's rule with η0 = 50 and no probe for the whole run: it never corrects
    Method tuned = Methods.hiDlr("hi-dlr-huge", SGD, io.github.hidlr.core.tuner.TunerConfig
        .paper().setInitialRate(50).optClip(1).optProbeEvery(1000).build(),
        block -> io.github.hidlr.djl.group.ParameterGroups.single("all"));
    MethodResult result = comparison.train(regression(), tuned, 40);
    assertThat(result.diverged()).isTrue();
  }
}
