package io.github.hidlr.djl.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.hidlr.core.tuner.GroupProbe;
import io.github.hidlr.core.tuner.ProbeReport;
import io.github.hidlr.core.tuner.Rejection;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.NonFiniteUpdateException;
import io.github.hidlr.djl.StepOutcome;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import io.github.hidlr.djl.optim.Optimizers;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance (e): bad input. A probe batch whose loss is NaN or infinite triggers the
 * documented fallback (every rate halved, {@link Rejection#NON_FINITE_LOSS}) and the weights
 * take exactly the rescaled step at the halved rates, never a probe displacement; a training
 * batch that makes the update non-finite raises {@link NonFiniteUpdateException} and leaves the
 * weights as they were, bit for bit, and training goes on with the next good batch; an empty
 * probe batch is rejected with an {@link IllegalArgumentException} before anything changes.
 */
class BadInputTest {

  private static final int N = 32;
  private static final int D = 3;
  private static final float REFERENCE = 0.1f;
  private static final double INITIAL_RATE = 0.05;

  /** A linear regression model on the PyTorch engine, trained by Hi-DLR or plainly. */
  private static final class Rig implements AutoCloseable {
    final Model model;
    final Trainer trainer;
    final HiDlrOptimizer hidlr;
    final NDManager manager;

    Rig(boolean hiDlr, Supplier<Optimizer> base) {
      this(hiDlr, base, new HalfSquaredErrorLoss());
    }

    Rig(boolean hiDlr, Supplier<Optimizer> base, Loss loss) {
      Engine.getInstance().setRandomSeed(31);
      model = Model.newInstance(hiDlr ? "hidlr" : "plain");
      model.setBlock(Linear.builder().setUnits(1).build());
      Optimizer optimizer = base.get();
      hidlr = hiDlr
          ? HiDlr.on(optimizer, REFERENCE).groups(ParameterGroups.builder()
              .add(GroupSpec.kind("weight", ParameterKind.WEIGHT))
              .add(GroupSpec.kind("bias", ParameterKind.BIAS))
              .build())
              .tuner(TunerConfig.hiDlr().setInitialRate(INITIAL_RATE).build()).probesPerStep()
              .build(model, loss)
          : null;
      trainer = model.newTrainer(new DefaultTrainingConfig(loss)
          .optOptimizer(hiDlr ? hidlr : optimizer));
      trainer.initialize(new Shape(N, D));
      manager = trainer.getManager();
    }

    /** One Hi-DLR step probing on {@code (data, labels)}. */
    StepOutcome step(NDList data, NDList labels) {
      return Acceptance.step(trainer, hidlr, data, labels);
    }

    io.github.hidlr.core.tuner.HiDlrTuner tuner() {
      return hidlr.tuner().orElseThrow();
    }

    Map<String, float[]> weights() {
      return Acceptance.snapshot(model.getBlock());
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }

  private static Supplier<Optimizer> djlSgd() {
    return () -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed(REFERENCE)).build();
  }

  /** {@code y = x·(1, −2, 0.5) + 1}, seeded; {@code poison} is written into one entry. */
  private static NDList[] batch(NDManager manager, long seed, Poison poison) {
    Random random = new Random(seed);
    float[][] x = new float[N][D];
    float[][] y = new float[N][1];
    double[] w = {1, -2, 0.5};
    for (int i = 0; i < N; i++) {
      double target = 1;
      for (int j = 0; j < D; j++) {
        x[i][j] = (float) random.nextGaussian();
        target += w[j] * x[i][j];
      }
      y[i][0] = (float) target;
    }
    if (poison != null) {
      if (poison.inLabels) {
        y[N / 2][0] = poison.value;
      } else {
        x[N / 2][1] = poison.value;
      }
    }
    return new NDList[] {new NDList(manager.create(x)), new NDList(manager.create(y))};
  }

  /** A NaN or an infinity in the inputs or the labels. */
  enum Poison {
    NAN_INPUT(Float.NaN, false),
    INFINITE_INPUT(Float.POSITIVE_INFINITY, false),
    NAN_LABEL(Float.NaN, true),
    INFINITE_LABEL(Float.NEGATIVE_INFINITY, true);

    final float value;
    final boolean inLabels;

    Poison(float value, boolean inLabels) {
      this.value = value;
      this.inLabels = inLabels;
    }
  }

  @ParameterizedTest
  @EnumSource(Poison.class)
  void nonFiniteProbeLossHalvesTheRatesAndTakesExactlyTheRescaledStep(Poison poison) {
    try (Rig hiDlr = new Rig(true, djlSgd());
        Rig plain = new Rig(false, djlSgd())) {
      NDList[] train = batch(hiDlr.manager, 1, null);
      NDList[] probe = batch(hiDlr.manager, 2, poison);
      Map<String, float[]> before = hiDlr.weights();
      assertThat(plain.weights()).as("same initial weights").containsOnlyKeys(before.keySet());
      before.forEach((k, v) -> assertThat(plain.weights().get(k)).containsExactly(v));

      // The plain run at η_ref gives the update Δ the base optimizer computes.
      NDList[] plainTrain = batch(plain.manager, 1, null);
      Acceptance.backward(plain.trainer, plainTrain[0], plainTrain[1]);
      plain.trainer.step();
      Map<String, float[]> plainAfter = plain.weights();

      Acceptance.backward(hiDlr.trainer, train[0], train[1]);
      StepOutcome outcome = hiDlr.step(probe[0], probe[1]);
      ProbeReport report = outcome.report().orElseThrow();
      assertThat(report.nonFiniteLoss()).as("report %s", report).isTrue();
      for (GroupProbe group : report.groups()) {
        assertThat(group.rejection()).as(group.group()).isEqualTo(Rejection.NON_FINITE_LOSS);
        assertThat(group.accepted()).as(group.group()).isFalse();
        assertThat(group.estimateBefore()).as(group.group()).isEqualTo(INITIAL_RATE);
        assertThat(group.estimateAfter()).as(group.group()).isEqualTo(INITIAL_RATE / 2);
      }
      assertThat(outcome.rates()).containsExactly(INITIAL_RATE / 2, INITIAL_RATE / 2);

      // The weights are w0 − (η/η_ref) Δ at the halved rate, bit for bit: restored from every
      // displacement of the probe, then moved once.
      Map<String, float[]> after = hiDlr.weights();
      float scale = (float) (INITIAL_RATE / 2 / REFERENCE);
      for (String name : before.keySet()) {
        float[] w0 = before.get(name);
        float[] expected = new float[w0.length];
        for (int i = 0; i < w0.length; i++) {
          expected[i] = w0[i] - (w0[i] - plainAfter.get(name)[i]) * scale;
        }
        assertThat(after.get(name)).as("%s after the step", name).containsExactly(expected);
        assertThat(Acceptance.maxAbsDiff(after.get(name), w0)).as(name).isGreaterThan(0);
      }

      // The next step, with a good probe batch, fits again.
      NDList[] goodProbe = batch(hiDlr.manager, 3, null);
      Acceptance.backward(hiDlr.trainer, train[0], train[1]);
      ProbeReport next = hiDlr.step(goodProbe[0], goodProbe[1]).report().orElseThrow();
      assertThat(next.nonFiniteLoss()).isFalse();
      assertThat(next.groups()).allSatisfy(g -> assertThat(g.accepted()).as(g.group()).isTrue());
    }
  }

  static Stream<Arguments> statelessOptimizers() {
    return Stream.of(
        Arguments.of("DJL SGD", djlSgd()),
        Arguments.of("hidlr SGD", (Supplier<Optimizer>) () ->
            Optimizers.sgd().setLearningRate(REFERENCE).build()));
  }

  static Stream<Arguments> statefulOptimizers() {
    return Stream.of(
        Arguments.of("SGD momentum", (Supplier<Optimizer>) () ->
            Optimizers.sgd().setLearningRate(REFERENCE).optMomentum(0.9f).build()),
        Arguments.of("Adam", (Supplier<Optimizer>) () ->
            Optimizers.adam().setLearningRate(REFERENCE).build()),
        Arguments.of("DJL Adam", (Supplier<Optimizer>) () ->
            Optimizer.adam().optLearningRateTracker(Tracker.fixed(REFERENCE)).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statelessOptimizers")
  void nonFiniteUpdateThrowsLeavesTheWeightsAndTrainingGoesOn(
      String name, Supplier<Optimizer> base) {
    checkNonFiniteUpdate(name, base);
  }

  /**
   * The same contract with a base optimizer that keeps state. The exception is thrown and the
   * weights are restored, but the non-finite gradient has already gone through the base
   * optimizer's {@code update}: its momentum buffer or Adam moments are NaN (and Adam's step
   * counter has advanced), so every later step throws again and training cannot go on.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("statefulOptimizers")
  void nonFiniteUpdateLeavesAStatefulBaseOptimizerUsable(String name, Supplier<Optimizer> base) {
    checkNonFiniteUpdate(name, base);
  }

  private static void checkNonFiniteUpdate(String name, Supplier<Optimizer> base) {
    for (Poison poison : Poison.values()) {
      try (Rig rig = new Rig(true, base);
          Rig twin = new Rig(true, base)) {
        NDList[] good = batch(rig.manager, 1, null);
        NDList[] bad = batch(rig.manager, 4, poison);
        Map<String, float[]> before = rig.weights();

        Acceptance.backward(rig.trainer, bad[0], bad[1]);
        assertThatThrownBy(() -> rig.step(good[0], good[1]))
            .as("%s, %s", name, poison)
            .isInstanceOf(NonFiniteUpdateException.class)
            .hasMessageContaining("not finite")
            .hasMessageMatching("(?s).*parameter \"(weight|bias)\".*")
            .hasMessageContaining("left as they were");
        Map<String, float[]> after = rig.weights();
        before.forEach((k, v) ->
            assertThat(after.get(k)).as("%s after %s, %s", k, poison, name).containsExactly(v));
        assertThat(rig.tuner().stepCount()).isZero();
        for (Pair<String, Parameter> p : rig.model.getBlock().getParameters()) {
          try (NDArray gradient = p.getValue().getArray().getGradient()) {
            assertThat(gradient.toFloatArray()).as("gradient of %s", p.getKey())
                .containsOnly(0f);
          }
        }

        // Training goes on as if the bad batch had never come: same result as a twin that
        // only saw the good batch.
        Acceptance.backward(rig.trainer, good[0], good[1]);
        StepOutcome outcome = rig.step(good[0], good[1]);
        NDList[] twinGood = batch(twin.manager, 1, null);
        Acceptance.backward(twin.trainer, twinGood[0], twinGood[1]);
        StepOutcome twinOutcome = twin.step(twinGood[0], twinGood[1]);
        assertThat(outcome.rates()).containsExactly(twinOutcome.rates());
        Map<String, float[]> resumed = rig.weights();
        twin.weights().forEach((k, v) -> assertThat(resumed.get(k))
            .as("%s after resuming from %s, %s", k, poison, name).containsExactly(v));
      }
    }
  }

  @Test
  void emptyProbeBatchIsRejectedBeforeAnythingChanges() {
    try (Rig rig = new Rig(true, djlSgd());
        Rig twin = new Rig(true, djlSgd())) {
      NDList[] train = batch(rig.manager, 1, null);
      Map<String, float[]> before = rig.weights();
      Acceptance.backward(rig.trainer, train[0], train[1]);
      NDList emptyData = new NDList(rig.manager.zeros(new Shape(0, D)));
      NDList emptyLabels = new NDList(rig.manager.zeros(new Shape(0, 1)));
      for (NDList data : new NDList[] {emptyData, new NDList()}) {
        assertThatThrownBy(() -> rig.step(data, emptyLabels))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("probe batch is empty");
        Map<String, float[]> after = rig.weights();
        before.forEach((k, v) -> assertThat(after.get(k)).as(k).containsExactly(v));
        assertThat(rig.tuner().stepCount()).isZero();
      }

      // The gradients are still there: the step can be retried with a real probe batch, and
      // it does what a twin that never saw the empty batch does.
      StepOutcome outcome = rig.step(train[0], train[1]);
      NDList[] twinTrain = batch(twin.manager, 1, null);
      Acceptance.backward(twin.trainer, twinTrain[0], twinTrain[1]);
      StepOutcome twinOutcome = twin.step(twinTrain[0], twinTrain[1]);
      assertThat(outcome.rates()).containsExactly(twinOutcome.rates());
      Map<String, float[]> after = rig.weights();
      twin.weights().forEach((k, v) -> assertThat(after.get(k)).as(k).containsExactly(v));
    }
  }

  /** The L2 loss, which throws at its {@code failAt}-th evaluation (once). */
  private static final class FailingLoss extends Loss {
    private final Loss l2 = new HalfSquaredErrorLoss();
    int calls;
    int failAt = -1;

    FailingLoss() {
      super("failing");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      if (++calls == failAt) {
        throw new IllegalStateException("loss failed at call " + calls);
      }
      return l2.evaluate(labels, predictions);
    }
  }

  @Test
  void aProbeThatFailsWhileAGroupIsDisplacedLeavesTheWeightsAsBeforeTheStep() {
    FailingLoss loss = new FailingLoss();
    try (Rig rig = new Rig(true, djlSgd(), loss)) {
      NDList[] train = batch(rig.manager, 1, null);
      for (int failing = 2; failing <= 5; failing++) {
        Map<String, float[]> before = rig.weights();
        long step = rig.tuner().stepCount();
        Acceptance.backward(rig.trainer, train[0], train[1]);
        // SYMMETRIC with two groups: L0, then ± for each group; fail at probe pass `failing`.
        loss.failAt = loss.calls + failing;
        int pass = failing;
        assertThatThrownBy(() -> rig.step(train[0], train[1]))
            .as("failure at probe pass %d", pass)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("loss failed");
        Map<String, float[]> after = rig.weights();
        before.forEach((k, v) ->
            assertThat(after.get(k)).as("%s, failure at probe pass %d", k, pass).containsExactly(v));
        assertThat(rig.tuner().stepCount()).isEqualTo(step);
        for (Pair<String, Parameter> p : rig.model.getBlock().getParameters()) {
          try (NDArray gradient = p.getValue().getArray().getGradient()) {
            assertThat(gradient.toFloatArray()).as("gradient of %s", p.getKey()).containsOnly(0f);
          }
        }
        // and the next step works
        Acceptance.backward(rig.trainer, train[0], train[1]);
        assertThat(rig.step(train[0], train[1]).report().orElseThrow().nonFiniteLoss())
            .isFalse();
      }
    }
  }
}
