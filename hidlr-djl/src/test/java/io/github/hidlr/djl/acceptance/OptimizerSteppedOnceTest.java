package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.StepOutcome;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance (f): the base optimizer is stepped exactly once per training step, at
 * {@code η_ref} (ALGORITHM.md §6; the reference GeN code steps it twice on probing steps).
 *
 * <p>The training loss is linear in the model's output, {@code L_t = mean_i Σ_o c_t,io ŷ_io},
 * so its gradient {@code c_tᵀ x_t / B} does not depend on the weights: Hi-DLR and a plain run
 * of the same Adam at {@code η_ref} receive the same gradient sequence although their weights
 * differ. The probe labels carry a target, and on them the loss is the quadratic
 * {@code ½ mean (ŷ − y)²}, so the tuner fits real parabolas and changes the rates. At every step
 * the Hi-DLR update must be {@code (η_k / η_ref)} times plain Adam's update, and (for hidlr's
 * own Adam) the saved optimizer state must be byte for byte plain Adam's.
 */
class OptimizerSteppedOnceTest {

  private static final int B = 16;
  private static final int D = 6;
  private static final int OUT = 3;
  private static final int STEPS = 30;
  private static final float REFERENCE = 0.01f;

  /** Linear in the output on training labels {@code (c)}; L2 on probe labels {@code (c, y)}. */
  private static final class SplitLoss extends Loss {
    SplitLoss() {
      super("split");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray prediction = predictions.singletonOrThrow();
      if (labels.size() == 1) {
        return prediction.mul(labels.head()).sum().div(prediction.getShape().get(0));
      }
      NDArray residual = prediction.sub(labels.get(1));
      return residual.mul(residual).mean().mul(0.5f);
    }
  }

  /** The teacher {@code y = x W* + b*}, batches of inputs, coefficients and targets. */
  private static final class Teacher {
    final Random random;
    final double[][] w = new double[OUT][D];
    final double[] b = new double[OUT];

    Teacher(long seed) {
      random = new Random(seed);
      Random teacher = new Random(99);
      for (int o = 0; o < OUT; o++) {
        for (int j = 0; j < D; j++) {
          w[o][j] = teacher.nextGaussian();
        }
        b[o] = teacher.nextGaussian();
      }
    }

    /** {@code (x, c, y)} with {@code c = −y + noise}, so training pushes toward the teacher. */
    float[][][] next() {
      float[][] x = new float[B][D];
      float[][] c = new float[B][OUT];
      float[][] y = new float[B][OUT];
      for (int i = 0; i < B; i++) {
        for (int j = 0; j < D; j++) {
          x[i][j] = (float) random.nextGaussian();
        }
        for (int o = 0; o < OUT; o++) {
          double target = b[o];
          for (int j = 0; j < D; j++) {
            target += w[o][j] * x[i][j];
          }
          y[i][o] = (float) target;
          c[i][o] = (float) (-target + 0.5 * random.nextGaussian());
        }
      }
      return new float[][][] {x, c, y};
    }
  }

  private static final class Rig implements AutoCloseable {
    final Model model;
    final Trainer trainer;
    final Optimizer base;
    final HiDlrOptimizer hidlr;

    Rig(Supplier<Optimizer> factory, int probeEvery) {
      this(factory, probeEvery, 4);
    }

    Rig(Supplier<Optimizer> factory, int probeEvery, double clip) {
      Engine.getInstance().setRandomSeed(12);
      model = Model.newInstance("linear");
      model.setBlock(Linear.builder().setUnits(OUT).build());
      base = factory.get();
      hidlr = probeEvery > 0 ? HiDlr.on(base, REFERENCE)
          .groups(ParameterGroups.builder()
              .add(GroupSpec.kind("weight", ParameterKind.WEIGHT))
              .add(GroupSpec.kind("bias", ParameterKind.BIAS))
              .build())
          .tuner(TunerConfig.hiDlr().setInitialRate(REFERENCE).optRateSmoothing(0.5)
              .optClip(clip).optProbeEvery(probeEvery).build())
          .probesPerStep().build(model, new SplitLoss()) : null;
      trainer = model.newTrainer(new DefaultTrainingConfig(new SplitLoss())
          .optOptimizer(hidlr != null ? hidlr : base));
      trainer.initialize(new Shape(B, D));
    }

    /** One Hi-DLR step probing on {@code (data, labels)}. */
    StepOutcome step(NDList data, NDList labels) {
      hidlr.probeOn(data, labels);
      trainer.step();
      return hidlr.lastStep().orElseThrow();
    }

    void backward(NDManager manager, float[][][] batch) {
      Acceptance.backward(trainer, new NDList(manager.create(batch[0])),
          new NDList(manager.create(batch[1])));
    }

    byte[] state() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        ((NdOptimizer) base).saveState(model.getBlock(), new DataOutputStream(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }

  static Stream<Arguments> cases() {
    Supplier<Optimizer> hidlrAdam = () -> Optimizers.adam().setLearningRate(REFERENCE).build();
    Supplier<Optimizer> djlAdam =
        () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(REFERENCE)).build();
    return Stream.of(
        Arguments.of("hidlr Adam, probe every step", hidlrAdam, 1, true),
        Arguments.of("hidlr Adam, probe every 3rd step", hidlrAdam, 3, true),
        Arguments.of("DJL Adam, probe every step", djlAdam, 1, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void baseOptimizerStateAndUpdatesMatchPlainAdamFedTheSameGradients(
      String name, Supplier<Optimizer> factory, int probeEvery, boolean compareState) {
    Teacher data = new Teacher(5);
    Teacher sameData = new Teacher(5);
    Set<Double> ratesSeen = new HashSet<>();
    try (Rig hiDlr = new Rig(factory, probeEvery);
        Rig plain = new Rig(factory, 0)) {
      float[][][] probeBatch = new Teacher(77).next();
      for (int t = 0; t < STEPS; t++) {
        float[][][] batch = data.next();
        float[][][] same = sameData.next();
        try (NDManager manager = hiDlr.trainer.getManager().newSubManager();
            NDManager plainManager = plain.trainer.getManager().newSubManager()) {
          Map<String, float[]> plainBefore = Acceptance.snapshot(plain.model.getBlock());
          plain.backward(plainManager, same);
          plain.trainer.step();
          Map<String, float[]> plainAfter = Acceptance.snapshot(plain.model.getBlock());

          Map<String, float[]> before = Acceptance.snapshot(hiDlr.model.getBlock());
          hiDlr.backward(manager, batch);
          StepOutcome outcome = hiDlr.step(new NDList(manager.create(probeBatch[0])),
              new NDList(manager.create(probeBatch[1]), manager.create(probeBatch[2])));
          assertThat(outcome.report().isPresent()).as("%s: probe at step %d", name, t)
              .isEqualTo(t % probeEvery == 0);
          Map<String, float[]> after = Acceptance.snapshot(hiDlr.model.getBlock());
          double[] rates = outcome.rates();
          ratesSeen.add(rates[0]);
          ratesSeen.add(rates[1]);

          for (String parameter : before.keySet()) {
            double scale = rates[parameter.equals("bias") ? 1 : 0] / REFERENCE;
            float[] w0 = before.get(parameter);
            float[] w = after.get(parameter);
            float[] p0 = plainBefore.get(parameter);
            float[] p = plainAfter.get(parameter);
            for (int i = 0; i < w0.length; i++) {
              double plainDelta = (double) p0[i] - p[i];
              double expected = w0[i] - scale * plainDelta;
              // Δ is captured in float32 next to weights of a different size: a few ulps.
              double ulp = Math.ulp(Math.max(Math.max(Math.abs(w0[i]), Math.abs(w[i])),
                  Math.max(Math.abs(p0[i]), Math.abs(p[i]))));
              assertThat(Math.abs(w[i] - expected))
                  .as("%s, step %d, %s[%d]: w = w0 − %s·Δ_plain", name, t, parameter, i, scale)
                  .isLessThanOrEqualTo(4 * ulp * (1 + scale));
            }
          }
          if (compareState) {
            assertThat(hiDlr.state()).as("%s: Adam state after step %d", name, t)
                .isEqualTo(plain.state());
          }
        }
      }
      // The tuner really changed the rates: the state above did not depend on them.
      assertThat(ratesSeen).as("%s: distinct rates applied", name).hasSizeGreaterThan(4);
    }
  }

  /**
   * With every rate held at {@code η0} (clip {@code ρ = 1}: the tuner then never probes),
   * Hi-DLR's weights and Adam's state are plain Adam's at {@code η0}, bit for bit, step after
   * step: the step is the optimizer's own {@code w − η·d} along the direction it handed over.
   */
  @org.junit.jupiter.api.Test
  void ratesHeldAtTheInitialRateGivePlainAdamBitForBit() {
    Supplier<Optimizer> adam = () -> Optimizers.adam().setLearningRate(REFERENCE).build();
    Teacher data = new Teacher(5);
    Teacher sameData = new Teacher(5);
    try (Rig hiDlr = new Rig(adam, 1, 1);
        Rig plain = new Rig(adam, 0)) {
      float[][][] probeBatch = new Teacher(77).next();
      for (int t = 0; t < STEPS; t++) {
        try (NDManager manager = hiDlr.trainer.getManager().newSubManager();
            NDManager plainManager = plain.trainer.getManager().newSubManager()) {
          plain.backward(plainManager, sameData.next());
          plain.trainer.step();
          hiDlr.backward(manager, data.next());
          StepOutcome outcome = hiDlr.step(new NDList(manager.create(probeBatch[0])),
              new NDList(manager.create(probeBatch[1]), manager.create(probeBatch[2])));
          assertThat(outcome.report()).as("probe at step %d", t).isEmpty();
          assertThat(outcome.rates()).containsOnly((double) REFERENCE);
          Map<String, float[]> w = Acceptance.snapshot(hiDlr.model.getBlock());
          Map<String, float[]> p = Acceptance.snapshot(plain.model.getBlock());
          for (String parameter : p.keySet()) {
            assertThat(w.get(parameter)).as("%s after step %d", parameter, t)
                .containsExactly(p.get(parameter));
          }
          assertThat(hiDlr.state()).as("Adam state after step %d", t).isEqualTo(plain.state());
        }
      }
    }
  }
}
