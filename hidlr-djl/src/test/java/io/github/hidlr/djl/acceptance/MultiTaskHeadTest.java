package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.hidlr.core.tuner.GroupProbe;
import io.github.hidlr.core.tuner.ProbeReport;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.StepOutcome;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Acceptance (b), after the paper's multi-task experiment (one group per task, i.e. per row of
 * the head): a linear head with {@code T} regression outputs, where task {@code t}'s output is
 * read in units {@code s_t} (a fixed scale after the head). With the L2 loss
 * {@code ½ mean over examples and tasks of r²} and mini-batches whose centred inputs satisfy
 * {@code XᵀX / B = I}, row {@code t} of the weight and entry {@code t} of the bias both have
 * the Hessian {@code s_t² / T · I}: along any direction, task {@code t}'s greedy rate is
 * exactly {@code T / s_t²}. The scales {0.5, 1, 2, 4} spread those rates over a factor 64, so
 * a uniform rate is capped by the stiffest task and leaves the flattest one unfit.
 */
class MultiTaskHeadTest {

  private static final int T = 4;
  private static final int D = 5;
  private static final int BATCH = 256;
  private static final int STEPS = 40;
  private static final float[] SCALE = {0.5f, 1f, 2f, 4f};
  private static final double NOISE = 0.01;

  /** The exact greedy rate of task {@code t}: the inverse of its curvature {@code s_t²/T}. */
  private static double greedy(int t) {
    return T / ((double) SCALE[t] * SCALE[t]);
  }

  /** The teacher: {@code y_t = s_t (x·w*_t + b*_t + noise)}. */
  private static final class Teacher {
    final double[][] w = new double[T][D];
    final double[] b = new double[T];
    final Random random = new Random(11);

    Teacher() {
      Random init = new Random(5);
      for (int t = 0; t < T; t++) {
        for (int j = 0; j < D; j++) {
          w[t][j] = init.nextGaussian();
        }
        b[t] = init.nextGaussian();
      }
    }

    /** A batch whose columns are centred and orthogonal with {@code XᵀX / n = I}. */
    NDList[] orthonormalBatch(NDManager manager, int n) {
      double[][] cols = new double[D][n];
      for (int j = 0; j < D; j++) {
        for (int i = 0; i < n; i++) {
          cols[j][i] = random.nextGaussian();
        }
        double mean = Arrays.stream(cols[j]).average().orElseThrow();
        for (int i = 0; i < n; i++) {
          cols[j][i] -= mean;
        }
        for (int k = 0; k < j; k++) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += cols[j][i] * cols[k][i];
          }
          for (int i = 0; i < n; i++) {
            cols[j][i] -= dot * cols[k][i];
          }
        }
        double norm = Math.sqrt(Arrays.stream(cols[j]).map(v -> v * v).sum());
        for (int i = 0; i < n; i++) {
          cols[j][i] /= norm;
        }
      }
      float[][] x = new float[n][D];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < D; j++) {
          x[i][j] = (float) (Math.sqrt(n) * cols[j][i]);
        }
      }
      return batch(manager, x);
    }

    /** Plain Gaussian inputs (for the evaluation set). */
    NDList[] gaussianBatch(NDManager manager, int n) {
      float[][] x = new float[n][D];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < D; j++) {
          x[i][j] = (float) random.nextGaussian();
        }
      }
      return batch(manager, x);
    }

    private NDList[] batch(NDManager manager, float[][] x) {
      int n = x.length;
      float[][] y = new float[n][T];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < T; t++) {
          double v = b[t] + NOISE * random.nextGaussian();
          for (int j = 0; j < D; j++) {
            v += w[t][j] * x[i][j];
          }
          y[i][t] = (float) (SCALE[t] * v);
        }
      }
      return new NDList[] {new NDList(manager.create(x)), new NDList(manager.create(y))};
    }
  }

  private record Run(double loss, List<ProbeReport> reports, double[] lastRates) {}

  /** Trains Hi-DLR (uniformRate = NaN) or plain SGD at a uniform rate on the same batches. */
  private static Run train(double uniformRate) {
    boolean hiDlr = Double.isNaN(uniformRate);
    Engine.getInstance().setRandomSeed(3);
    Teacher teacher = new Teacher();
    List<ProbeReport> reports = new ArrayList<>();
    double[] lastRates = null;
    try (Model model = Model.newInstance("multitask")) {
      NDArray scale = model.getNDManager().create(SCALE);
      model.setBlock(new SequentialBlock()
          .add(Linear.builder().setUnits(T).build())
          .add(new LambdaBlock(in -> new NDList(in.singletonOrThrow().mul(scale)))));
      float reference = hiDlr ? 1f : (float) uniformRate;
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(reference)).build();
      HiDlrOptimizer hidlr = HiDlr.on(sgd, reference).groups(ParameterGroups.builder()
              .add(GroupSpec.rows("task", "01Linear_weight"))
              .add(GroupSpec.rows("bias", "01Linear_bias"))
              .build())
          .tuner(TunerConfig.hiDlr().setInitialRate(0.05).optClip(4).optRateSmoothing(0.5)
              .build())
          .probesPerStep().build(model, new HalfSquaredErrorLoss());
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(new HalfSquaredErrorLoss()).optOptimizer(hiDlr ? hidlr : sgd);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(BATCH, D));
        if (hiDlr) {
          assertThat(hidlr.groupNames()).containsExactly(
              "task0", "task1", "task2", "task3", "bias0", "bias1", "bias2", "bias3");
        }
        for (int step = 0; step < STEPS; step++) {
          try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDList[] batch = teacher.orthonormalBatch(batchManager, BATCH);
            Acceptance.backward(trainer, batch[0], batch[1]);
            if (hiDlr) {
              StepOutcome outcome = Acceptance.step(trainer, hidlr, batch[0], batch[1]);
              reports.add(outcome.report().orElseThrow());
              lastRates = outcome.rates();
            } else {
              trainer.step();
            }
          }
        }
        try (NDManager evalManager = trainer.getManager().newSubManager()) {
          NDList[] eval = teacher.gaussianBatch(evalManager, 2048);
          double loss = Acceptance.loss(trainer, eval[0], eval[1]);
          return new Run(loss, reports, lastRates);
        }
      }
    }
  }

  @Test
  void eachTaskGetsItsOwnGreedyRateAndTheHeadBeatsEveryUniformRate() {
    Run hiDlr = train(Double.NaN);
    List<ProbeReport> reports = hiDlr.reports();
    assertThat(reports).hasSize(STEPS);

    for (int t = 0; t < T; t++) {
      for (String group : List.of("task" + t, "bias" + t)) {
        double exact = greedy(t);
        double[] accepted = reports.stream().map(r -> r.group(group))
            .filter(GroupProbe::accepted).mapToDouble(GroupProbe::candidate).sorted().toArray();
        // The fit measures the group's own curvature: the candidates b/a are T / s_t² ...
        assertThat(accepted.length).as("accepted fits of %s", group).isGreaterThan(STEPS / 2);
        assertThat(accepted[accepted.length / 2]).as("median candidate of %s", group)
            .isCloseTo(exact, within(0.01 * exact));
        // ... and the smoothed estimate settles there, starting 5 to 320 times away from it.
        GroupProbe last = reports.get(STEPS - 1).group(group);
        assertThat(last.estimateAfter()).as("final estimate of %s", group)
            .isCloseTo(exact, within(0.03 * exact));
      }
    }
    // The weight rows' fits are exact at every accepted probe (every batch has XᵀX / B = I).
    for (ProbeReport report : reports.subList(2, STEPS)) {
      for (int t = 0; t < T; t++) {
        GroupProbe row = report.group("task" + t);
        if (row.accepted()) {
          assertThat(row.candidate()).as("task%d at step %d", t, report.step())
              .isCloseTo(greedy(t), within(0.02 * greedy(t)));
        }
      }
    }

    // The applied rates differ across tasks as the curvatures do: 64 : 16 : 4 : 1.
    double[] rates = hiDlr.lastRates();
    for (int t = 0; t + 1 < T; t++) {
      assertThat(rates[t] / rates[t + 1]).as("rate of task%d / task%d", t, t + 1)
          .isCloseTo(4.0, within(0.15));
    }

    // A uniform rate must stay below 2 / 4 for the stiffest task (s = 4): the flattest task
    // (s = 0.5, greedy rate 16) then barely moves in the same number of steps.
    double bestUniform = Double.POSITIVE_INFINITY;
    double bestRate = Double.NaN;
    for (double rate : new double[] {0.1, 0.2, 0.3, 0.4, 0.45, 0.5}) {
      double loss = train(rate).loss();
      if (Double.isFinite(loss) && loss < bestUniform) {
        bestUniform = loss;
        bestRate = rate;
      }
    }
    assertThat(hiDlr.loss())
        .as("Hi-DLR loss vs best uniform rate %s (loss %s)", bestRate, bestUniform)
        .isLessThan(bestUniform / 20);
  }
}
