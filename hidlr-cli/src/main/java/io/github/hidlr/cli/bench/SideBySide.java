package io.github.hidlr.cli.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.StepOutcome;
import io.github.hidlr.djl.optim.Optimizers;
import java.util.Arrays;

/**
 * One configuration {@code (K, Φ)} measured side by side: a fresh Adam trainer and a fresh
 * Hi-DLR trainer (the library's {@link HiDlrOptimizer} over the same Adam, SYMMETRIC probing on
 * the training mini-batch), both initialised from the same seed and fed the same mini-batches.
 *
 * <p>Each round times one block of {@code S} steps of each trainer and one block of {@code S}
 * inference forward passes; the order of the two trainers alternates between rounds, so that
 * slow drift of the machine falls on both sides alike. {@code S} is a multiple of {@code Φ}, so
 * every Hi-DLR block holds exactly {@code S/Φ} probing steps. Every reported time is a median
 * over rounds of per-block means; the measured ratio is the median of the per-round ratios.
 *
 * <p>What is timed, per step:
 * <ul>
 *   <li>{@code F}: {@code trainer.evaluate} plus the loss, read back as a number — exactly
 *       what one probe pass does;
 *   <li>{@code F + B}: the training forward pass and the loss inside a
 *       {@code GradientCollector}, and {@code backward};
 *   <li>{@code O}: {@code trainer.step()} of the base trainer (Adam's update);
 *   <li>the Hi-DLR update: {@code trainer.step()} of the Hi-DLR trainer (gradient check,
 *       Adam's direction captured, the probe when due, the step per group), split into probing
 *       and other steps.
 * </ul>
 */
final class SideBySide {

  /** Adam's learning rate, and Hi-DLR's {@code η_ref} and {@code η0}. */
  static final float RATE = 1e-3f;

  private final MlpWorkload workload;
  private final BenchOptions options;
  private final Clock clock;
  /** The losses read back by the forward blocks, kept so that the read-back is real work. */
  private double sink;

  SideBySide(MlpWorkload workload, BenchOptions options) {
    this.workload = workload;
    this.options = options;
    this.clock = options.clock();
  }

  /**
   * Measures one configuration.
   *
   * @param k the number of groups
   * @param phi the probe period
   * @return the row
   */
  BenchRow measure(int k, int phi) {
    int steps = options.stepsFor(phi);
    int rounds = options.rounds();
    TunerConfig config = TunerConfig.hiDlr().setInitialRate(RATE).optProbeEvery(phi).build();
    HiDlrOptimizer[] hidlrOf = new HiDlrOptimizer[1];
    try (Model baseModel = Model.newInstance("adam");
        Model hiModel = Model.newInstance("hidlr");
        Trainer base = workload.newTrainer(baseModel,
            model -> Optimizers.adam().setBlock(model.getBlock()).setLearningRate(RATE).build());
        Trainer hi = workload.newTrainer(hiModel, model -> hidlrOf[0] = HiDlr.adam(RATE)
            .groups(MlpWorkload.groups(k)).tuner(config).probesPerStep()
            .build(model, MlpWorkload.LOSS))) {
      HiDlrOptimizer hidlr = hidlrOf[0];
      int groupCount = MlpWorkload.groups(k).resolve(hiModel.getBlock()).layout().size();
      if (groupCount != k) {
        throw new IllegalStateException("grouping for K = " + k + " resolved to "
            + groupCount + " groups");
      }
      BaseSide baseSide = new BaseSide(base);
      HiDlrSide hiSide = new HiDlrSide(hi, hidlr);
      // The first step creates optimizer state and gradient wrappers that must outlive it,
      // so it runs outside any scope; the later ones are scoped and leave nothing behind.
      baseSide.step(false);
      hiSide.step(false);
      for (int i = 1; i < options.warmup(); i++) {
        baseSide.step(true);
        hiSide.step(true);
      }
      forwardBlock(base, steps);
      int liveBase = baseModel.getNDManager().getManagedArrays().size();
      int liveHi = hiModel.getNDManager().getManagedArrays().size();
      Series series = new Series(rounds);
      for (int r = 0; r < rounds; r++) {
        Block baseBlock;
        Block hiBlock;
        if (r % 2 == 0) {
          baseBlock = baseSide.block(steps);
          hiBlock = hiSide.block(steps);
        } else {
          hiBlock = hiSide.block(steps);
          baseBlock = baseSide.block(steps);
        }
        series.add(r, baseBlock, hiBlock, forwardBlock(base, steps));
      }
      int grownBase = baseModel.getNDManager().getManagedArrays().size() - liveBase;
      int grownHi = hiModel.getNDManager().getManagedArrays().size() - liveHi;
      if (grownBase != 0 || grownHi != 0) {
        System.err.printf("warning: live arrays grew by %d (adam) and %d (hi-dlr) during the"
            + " timed rounds%n", grownBase, grownHi);
      }
      double f = median(series.forward);
      double fb = median(series.forwardBackwardBase);
      double o = median(series.updateBase);
      int passes = hidlr.tuner().orElseThrow().forwardPassesPerProbe();
      double floor = (fb + o) / (fb + o + passes * f / phi);
      return new BenchRow(MlpWorkload.NAME, "adam", MlpWorkload.describeGroups(k), k, phi,
          config.scheme().name(), passes, workload.batch(), steps, rounds, clock.label(),
          median(series.stepBase), median(series.stepHi), f, fb - f, o,
          median(series.forwardBackwardHi), median(series.updateHi),
          median(series.updateHiProbing), median(series.updateHiOther),
          median(series.probeWall), median(series.ratio), quantile(series.ratio, 0.25),
          quantile(series.ratio, 0.75), floor, workload.loss(base), workload.loss(hi));
    }
  }

  /** Per-round values of one configuration. */
  private static final class Series {
    final double[] stepBase;
    final double[] forwardBackwardBase;
    final double[] updateBase;
    final double[] stepHi;
    final double[] forwardBackwardHi;
    final double[] updateHi;
    final double[] updateHiProbing;
    final double[] updateHiOther;
    final double[] probeWall;
    final double[] forward;
    final double[] ratio;

    Series(int rounds) {
      stepBase = new double[rounds];
      forwardBackwardBase = new double[rounds];
      updateBase = new double[rounds];
      stepHi = new double[rounds];
      forwardBackwardHi = new double[rounds];
      updateHi = new double[rounds];
      updateHiProbing = new double[rounds];
      updateHiOther = new double[rounds];
      probeWall = new double[rounds];
      forward = new double[rounds];
      ratio = new double[rounds];
    }

    void add(int r, Block base, Block hi, double forwardMs) {
      stepBase[r] = base.stepMs();
      forwardBackwardBase[r] = base.forwardBackwardMs();
      updateBase[r] = base.updateMs();
      stepHi[r] = hi.stepMs();
      forwardBackwardHi[r] = hi.forwardBackwardMs();
      updateHi[r] = hi.updateMs();
      updateHiProbing[r] = hi.updateProbingMs();
      updateHiOther[r] = hi.updateOtherMs();
      probeWall[r] = hi.probeWallMs();
      forward[r] = forwardMs;
      ratio[r] = base.stepMs() / hi.stepMs();
    }
  }

  /**
   * Mean per-step timings of one block, in milliseconds of the benchmark's clock (the probe's
   * own timer, {@code StepOutcome.probeNanos}, is wall time).
   */
  private record Block(double stepMs, double forwardBackwardMs, double updateMs,
      double updateProbingMs, double updateOtherMs, double probeWallMs) {}

  /** Mean time of {@code steps} inference forward passes plus loss, in milliseconds. */
  private double forwardBlock(Trainer trainer, int steps) {
    long total = 0;
    for (int s = 0; s < steps; s++) {
      NDList x = workload.inputs(s);
      NDList y = workload.labels(s);
      long begin = clock.now();
      // Results of ops on the batch land in the data's manager: the scope frees them.
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray loss = trainer.getLoss().evaluate(y, trainer.evaluate(x));
        sink += loss.getFloat();
      }
      total += clock.now() - begin;
    }
    return total / 1e6 / steps;
  }

  /** A trainer and its way of finishing a step after the backward pass. */
  private abstract class Side {
    final Trainer trainer;
    long next;
    long probingNanos;
    int probing;
    long otherNanos;
    int other;
    long probeWallNanos;

    Side(Trainer trainer) {
      this.trainer = trainer;
    }

    /**
     * Runs the update after the backward pass.
     *
     * @return whether the step probed
     */
    abstract boolean update(NDList x, NDList y);

    /** One step on the next batch; returns the forward+backward time. */
    long step(boolean scoped) {
      NDList x = workload.inputs(next);
      NDList y = workload.labels(next);
      next++;
      NDScope scope = scoped ? new NDScope() : null;
      try {
        long begin = clock.now();
        try (GradientCollector collector = trainer.newGradientCollector()) {
          collector.backward(trainer.getLoss().evaluate(y, trainer.forward(x)));
        }
        long middle = clock.now();
        boolean probed = update(x, y);
        long spent = clock.now() - middle;
        if (probed) {
          probingNanos += spent;
          probing++;
        } else {
          otherNanos += spent;
          other++;
        }
        return middle - begin;
      } finally {
        if (scope != null) {
          scope.close();
        }
      }
    }

    Block block(int steps) {
      probingNanos = 0;
      probing = 0;
      otherNanos = 0;
      other = 0;
      probeWallNanos = 0;
      long forwardBackward = 0;
      long begin = clock.now();
      for (int s = 0; s < steps; s++) {
        forwardBackward += step(true);
      }
      long total = clock.now() - begin;
      return new Block(total / 1e6 / steps, forwardBackward / 1e6 / steps,
          (probingNanos + otherNanos) / 1e6 / steps, mean(probingNanos, probing),
          mean(otherNanos, other), mean(probeWallNanos, probing));
    }
  }

  private static double mean(long nanos, int count) {
    return count == 0 ? Double.NaN : nanos / 1e6 / count;
  }

  /** The base trainer: {@code trainer.step()}. */
  private final class BaseSide extends Side {
    BaseSide(Trainer trainer) {
      super(trainer);
    }

    @Override
    boolean update(NDList x, NDList y) {
      trainer.step();
      return false;
    }
  }

  /** The Hi-DLR trainer: {@code trainer.step()}, probing on the training mini-batch. */
  private final class HiDlrSide extends Side {
    private final HiDlrOptimizer hidlr;

    HiDlrSide(Trainer trainer, HiDlrOptimizer hidlr) {
      super(trainer);
      this.hidlr = hidlr;
    }

    @Override
    boolean update(NDList x, NDList y) {
      hidlr.probeOn(x, y);
      trainer.step();
      StepOutcome outcome = hidlr.lastStep().orElseThrow();
      if (outcome.report().isPresent()) {
        probeWallNanos += outcome.probeNanos();
        return true;
      }
      return false;
    }
  }

  /** The median; NaN entries (no such step in a block) are ignored, all-NaN gives NaN. */
  static double median(double[] values) {
    return quantile(values, 0.5);
  }

  /**
   * The {@code q}-quantile with linear interpolation between order statistics, over the
   * non-NaN entries.
   */
  static double quantile(double[] values, double q) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
