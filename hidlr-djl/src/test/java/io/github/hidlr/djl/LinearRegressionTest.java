package io.github.hidlr.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.hidlr.core.tuner.ProbeReport;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Acceptance (a): linear regression whose bias has a very different curvature from its
 * weights. Full batch, SGD direction: the greedy rate of the bias is exactly 1 (the L2 loss
 * {@code ½ mean(r²)} has {@code ∂²L/∂b² = 1}), and the weights' greedy rate is
 * {@code gᵀg / gᵀ(XᵀX/n)g}.
 */
class LinearRegressionTest {

  private static final int N = 256;
  private static final int D = 4;
  private static final int STEPS = 40;
  /** A step early enough that the curvature is still resolved in float32. */
  private static final int PROBE_CHECK = 5;

  private record Data(float[][] x, float[] y) {}

  private static Data data() {
    Random random = new Random(7);
    float[][] x = new float[N][D];
    float[] y = new float[N];
    double[] w = {0.5, -1, 2, 0.25};
    for (int i = 0; i < N; i++) {
      double target = 3.0;
      for (int j = 0; j < D; j++) {
        x[i][j] = (float) (4 * random.nextGaussian());
        target += w[j] * x[i][j];
      }
      y[i] = (float) (target + 0.01 * random.nextGaussian());
    }
    return new Data(x, y);
  }

  /** Trains and returns the final full-batch loss; records the last report if Hi-DLR. */
  private static double train(double uniformRate, boolean hiDlr, List<ProbeReport> reports,
      double[] greedyWeightRate) {
    Engine.getInstance().setRandomSeed(1);
    Data data = data();
    try (Model model = Model.newInstance("linreg")) {
      model.setBlock(Linear.builder().setUnits(1).build());
      float reference = hiDlr ? 1f : (float) uniformRate;
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(reference)).build();
      HiDlrOptimizer hidlr = HiDlr.on(sgd, reference).groups(ParameterGroups.builder()
              .add(GroupSpec.kind("weight", ParameterKind.WEIGHT))
              .add(GroupSpec.kind("bias", ParameterKind.BIAS)).build())
          .tuner(TunerConfig.paper().setInitialRate(1e-3).optClip(4).optRateSmoothing(0.5)
              .build())
          .probesPerStep().build(model, new HalfSquaredErrorLoss());
      DefaultTrainingConfig config = new DefaultTrainingConfig(new HalfSquaredErrorLoss())
          .optOptimizer(hiDlr ? hidlr : sgd);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(N, D));
        NDManager manager = trainer.getManager();
        NDArray x = manager.create(data.x());
        NDArray y = manager.create(data.y()).reshape(N, 1);
        NDList input = new NDList(x);
        NDList labels = new NDList(y);
        for (int t = 0; t < STEPS; t++) {
          try (GradientCollector collector = trainer.newGradientCollector()) {
            collector.backward(trainer.getLoss().evaluate(labels, trainer.forward(input)));
          }
          if (hiDlr) {
            if (t == PROBE_CHECK) {
              greedyWeightRate[0] = greedyWeightRate(model, data);
            }
            hidlr.probeOn(input, labels);
            trainer.step();
            StepOutcome outcome = hidlr.lastStep().orElseThrow();
            reports.add(outcome.report().orElseThrow());
          } else {
            trainer.step();
          }
        }
        double loss = trainer.getLoss().evaluate(labels, trainer.evaluate(input)).getFloat();
        return loss;
      }
    }
  }

  /** {@code gᵀg / gᵀ (XᵀX/n) g} for the weight gradient at the current weights. */
  private static double greedyWeightRate(Model model, Data data) {
    float[] w = model.getBlock().getParameters().get("weight").getArray().toFloatArray();
    float b = model.getBlock().getParameters().get("bias").getArray().toFloatArray()[0];
    double[] g = new double[D];
    for (int i = 0; i < N; i++) {
      double r = b - data.y()[i];
      for (int j = 0; j < D; j++) {
        r += w[j] * data.x()[i][j];
      }
      for (int j = 0; j < D; j++) {
        g[j] += r * data.x()[i][j] / N;
      }
    }
    double gg = 0;
    double gHg = 0;
    for (int i = 0; i < N; i++) {
      double xg = 0;
      for (int j = 0; j < D; j++) {
        xg += data.x()[i][j] * g[j];
      }
      gHg += xg * xg / N;
    }
    for (double v : g) {
      gg += v * v;
    }
    return gg / gHg;
  }

  @Test
  void ratesApproachTheirGreedyValuesAndBeatTheBestUniformRate() {
    List<ProbeReport> reports = new ArrayList<>();
    double[] greedy = new double[1];
    double hiDlrLoss = train(0, true, reports, greedy);
    // The fit measures the bias's greedy rate, exactly 1, once the curvature is resolved ...
    ProbeReport early = reports.get(PROBE_CHECK);
    assertThat(early.group("bias").candidate()).isCloseTo(1.0, within(1e-2));
    // ... and the weights' greedy rate gᵀg / gᵀHg, ~1/16 since their curvature is ~16x larger.
    assertThat(early.group("weight").candidate()).isCloseTo(greedy[0], within(0.02 * greedy[0]));
    assertThat(greedy[0]).isBetween(0.03, 0.2);
    // The smoothed estimates approach those values from η0 = 1e-3.
    ProbeReport later = reports.get(12);
    assertThat(later.group("bias").estimateAfter()).isCloseTo(1.0, within(0.05));
    assertThat(later.group("weight").estimateAfter()).isBetween(0.03, 0.2);

    double bestUniform = Double.POSITIVE_INFINITY;
    for (double rate : new double[] {1e-3, 3e-3, 1e-2, 3e-2, 1e-1}) {
      double loss = train(rate, false, null, null);
      if (Double.isFinite(loss)) {
        bestUniform = Math.min(bestUniform, loss);
      }
    }
    // the best uniform rate is capped by the weights' curvature and leaves the bias unfit
    assertThat(hiDlrLoss).isLessThan(bestUniform / 10);
  }
}
