package io.github.hidlr.djl.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.NonFiniteUpdateException;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the baselines assemble a DJL step from per-parameter {@code update} calls: a refused step
 * leaves no trace, an incomplete step is reported, frozen parameters are left out, nothing leaks,
 * and builders and state streams check their input.
 */
class WholeStepTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  record Method(String name, Function<Block, Optimizer> factory) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Method> methods() {
    return List.of(
        new Method("prodigy", b -> Baselines.prodigy().setBlock(b).optD0(1e-2).build()),
        new Method("d-adapt adam", b -> Baselines.dAdaptAdam().setBlock(b).optD0(1e-2).build()),
        new Method("dog", b -> Baselines.dog().setBlock(b).optRepsRel(0.1).build()),
        new Method(
            "schedule-free adamw",
            b -> Baselines.scheduleFreeAdamW().setBlock(b).setLearningRate(0.1f).build()));
  }

  /** The baselines and, given their block, optimizers that step parameter by parameter. */
  static List<Method> everyOptimizerWithItsBlock() {
    List<Method> out = new java.util.ArrayList<>(methods());
    out.add(new Method("adam with its block",
        b -> Optimizers.adam().setBlock(b).setLearningRate(0.01f).build()));
    out.add(new Method("adam clipped to 1 with its block (an infinity is refused before the clip)",
        b -> Optimizers.adam().setBlock(b).setLearningRate(0.01f).optClipGrad(1f).build()));
    out.add(new Method("sgd momentum with its block",
        b -> Optimizers.sgd().setBlock(b).setLearningRate(0.01f).optMomentum(0.9f).build()));
    return out;
  }

  private static float[] nanAt(float[] g, int index) {
    float[] out = g.clone();
    out[index] = Float.NaN;
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOptimizerWithItsBlock")
  void aNanGradientIsRefusedAndLeavesNoTrace(Method m) {
    try (DirectRig refused = new DirectRig(manager, m.factory());
        DirectRig twin = new DirectRig(manager, m.factory())) {
      refused.step(DirectRig.GRADS[0]);
      twin.step(DirectRig.GRADS[0]);
      // The weight's update is buffered first; the bias's NaN must undo the whole step.
      assertThatThrownBy(() -> refused.step(nanAt(DirectRig.GRADS[1], 7)))
          .isInstanceOf(NonFiniteUpdateException.class)
          .hasMessageContaining("parameter \"bias\"")
          .hasMessageContaining("NaN")
          .hasMessageContaining("refused step 1");
      assertThat(refused.values()).containsExactly(twin.values());
      NdOptimizer optimizer = (NdOptimizer) refused.optimizer;
      assertThat(optimizer.stepIndex()).isEqualTo(1);
      assertThatThrownBy(() -> refused.step(nanAt(DirectRig.GRADS[1], 0)))
          .isInstanceOf(NonFiniteUpdateException.class)
          .hasMessageContaining("parameter \"weight\"");
      float[] infinite = DirectRig.GRADS[1].clone();
      infinite[3] = Float.POSITIVE_INFINITY;
      assertThatThrownBy(() -> refused.step(infinite))
          .isInstanceOf(NonFiniteUpdateException.class)
          .hasMessageContaining("infinite");
      for (int t = 1; t < 4; t++) {
        refused.step(DirectRig.GRADS[t]);
        twin.step(DirectRig.GRADS[t]);
        assertThat(refused.values()).as("step %d", t).containsExactly(twin.values());
      }
      if (refused.optimizer instanceof EffectiveRate rate) {
        assertThat(rate.diagnostics()).isEqualTo(((EffectiveRate) twin.optimizer).diagnostics());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOptimizerWithItsBlock")
  void aParameterLeftOutOfAStepIsReportedAndTheStepDropped(Method m) {
    try (DirectRig broken = new DirectRig(manager, m.factory());
        DirectRig twin = new DirectRig(manager, m.factory())) {
      broken.step(DirectRig.GRADS[0]);
      twin.step(DirectRig.GRADS[0]);
      try (NDArray g = manager.create(new float[6], new Shape(2, 3))) {
        broken.optimizer.update(broken.weight.getId(), broken.weight.getArray(), g);
        assertThatThrownBy(
                () ->
                    broken.optimizer.update(broken.weight.getId(), broken.weight.getArray(), g))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("never completed")
            .hasMessageContaining("[bias]")
            .hasMessageContaining("freeze");
      }
      broken.step(DirectRig.GRADS[1]);
      twin.step(DirectRig.GRADS[1]);
      assertThat(broken.values()).containsExactly(twin.values());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void frozenParametersAreNotPartOfTheStep(Method m) {
    try (DirectRig rig = new DirectRig(manager, m.factory())) {
      rig.bias.freeze(true);
      float[] before = rig.values();
      try (NDArray g = manager.create(Arrays.copyOf(DirectRig.GRADS[0], 6), new Shape(2, 3))) {
        rig.optimizer.update(rig.weight.getId(), rig.weight.getArray(), g);
      }
      assertThat(((WholeStepOptimizer<?>) rig.optimizer).stepIndex()).isEqualTo(1);
      float[] after = rig.values();
      assertThat(Arrays.copyOf(after, 6)).isNotEqualTo(Arrays.copyOf(before, 6));
      assertThat(Arrays.copyOfRange(after, 6, 8)).containsExactly(before[6], before[7]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void anIdOutsideTheBlockIsRejected(Method m) {
    try (DirectRig rig = new DirectRig(manager, m.factory());
        NDArray g = manager.create(new float[2], new Shape(2))) {
      assertThatThrownBy(() -> rig.optimizer.update("not-a-parameter", rig.bias.getArray(), g))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not-a-parameter")
          .hasMessageContaining("setBlock")
          .hasMessageContaining("[weight, bias]");
    }
  }

  /** Each method's scalar reference, for a run that starts with an all-zero gradient. */
  static List<Object[]> zeroFirst() {
    double b1 = 0.9f;
    double b2 = 0.999f;
    double eps = 1e-8f;
    return List.of(
        new Object[] {
          methods().get(0),
          (Supplier<ScalarBaselines.Rule>)
              () ->
                  ScalarBaselines.prodigy(
                      k -> 1, b1, b2, Math.sqrt(b2), eps, 0, true, false, false, 1e-2, 1, INF)
        },
        new Object[] {
          methods().get(1),
          (Supplier<ScalarBaselines.Rule>)
              () -> ScalarBaselines.dAdaptAdam(k -> 1, b1, b2, eps, 0, false, false, 1e-2, INF)
        },
        new Object[] {
          methods().get(2),
          (Supplier<ScalarBaselines.Rule>)
              () -> ScalarBaselines.dog(1, 0.1, 1e-8, 0, Double.NaN, 8, new double[8])
        },
        new Object[] {
          methods().get(3),
          (Supplier<ScalarBaselines.Rule>)
              () -> ScalarBaselines.scheduleFree(0.1f, b1, b2, eps, 0, 0, 0, 2, new double[8])
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zeroFirst")
  void anAllZeroFirstGradientFollowsTheReference(Method m, Supplier<ScalarBaselines.Rule> ref) {
    ScalarBaselines.Rule reference = ref.get();
    double[] expected = DirectRig.toDouble(DirectRig.W0);
    try (DirectRig rig = new DirectRig(manager, m.factory())) {
      float[][] grads = new float[DirectRig.GRADS.length + 1][];
      grads[0] = new float[8];
      System.arraycopy(DirectRig.GRADS, 0, grads, 1, DirectRig.GRADS.length);
      for (int t = 0; t < grads.length; t++) {
        rig.step(grads[t]);
        reference.step(expected, DirectRig.toDouble(grads[t]));
        float[] actual = rig.values();
        for (int i = 0; i < actual.length; i++) {
          assertThat(actual[i]).isFinite();
          assertThat((double) actual[i]).as("step %d", t).isCloseTo(expected[i], within(1e-6));
        }
      }
    }
  }

  @Test
  void prodigyTakesNoStepBeforeItHasSeenAGradient() {
    try (DirectRig rig = new DirectRig(manager, b -> Baselines.prodigy().setBlock(b).build())) {
      rig.step(new float[8]);
      Prodigy prodigy = (Prodigy) rig.optimizer;
      assertThat(rig.values()).containsExactly(DirectRig.W0);
      assertThat(prodigy.d()).isEqualTo(DistanceOptions.DEFAULT_D0);
      assertThat(prodigy.stepIndex()).isEqualTo(1);
      assertThat(prodigy.diagnostics().get("k")).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void trainingLeaksNoArrays(Method m) {
    try (ContractRig rig = new ContractRig.Plain(m.factory())) {
      // The first step creates the state and DJL's gradient wrappers: a one-time +N.
      rig.train(0, 1);
      int live = rig.model.getNDManager().getManagedArrays().size();
      rig.train(1, 10);
      assertThat(rig.model.getNDManager().getManagedArrays()).hasSize(live);
      assertThatThrownBy(() -> rig.step(11, 1f, true))
          .isInstanceOf(NonFiniteUpdateException.class);
      rig.train(12, 3);
      // +1: DJL's ParameterServer.update(id, params) closes its gradient wrappers only when the
      // optimizer returns normally, so the refused update leaves that one wrapper behind.
      assertThat(rig.model.getNDManager().getManagedArrays()).hasSize(live + 1);
    }
  }

  /** Hi-DLR (one group, η0 = 1e-2) over Prodigy on a seeded block, with one fixed batch. */
  private interface OverProdigy {
    void run(Block block, Prodigy prodigy, HiDlrOptimizer hidlr, Trainer trainer, NDList x,
        NDList y);
  }

  private static void overProdigy(OverProdigy test) {
    Block block = ContractRig.newBlock();
    Prodigy prodigy = Baselines.prodigy().setBlock(block).optD0(1e-2).build();
    try (Model model = Model.newInstance("hidlr-over-prodigy")) {
      model.setBlock(block);
      HiDlrOptimizer hidlr = HiDlr.on(prodigy).tuner(TunerConfig.gen().setInitialRate(1e-2)
          .build()).probesPerStep().build(model, new HalfSquaredErrorLoss());
      try (Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(new HalfSquaredErrorLoss())
              .optOptimizer(hidlr))) {
        Engine.getInstance().setRandomSeed(ContractRig.SEED);
        trainer.initialize(new Shape(ContractRig.BATCH, ContractRig.IN));
        try (NDManager batch = trainer.getManager().newSubManager()) {
          NDList x = new NDList(batch.create(ContractRig.inputs(0, ContractRig.BATCH, false),
              new Shape(ContractRig.BATCH, ContractRig.IN)));
          NDList y = new NDList(batch.create(ContractRig.labels(0, ContractRig.BATCH),
              new Shape(ContractRig.BATCH, 1)));
          test.run(block, prodigy, hidlr, trainer, x, y);
        }
      }
    }
  }

  private static void backward(Trainer trainer, NDList x, NDList y) {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      collector.backward(trainer.getLoss().evaluate(y, trainer.forward(x)));
    }
  }

  @Test
  void hiDlrCapturesTheWholeDeferredUpdate() {
    overProdigy((block, prodigy, hidlr, trainer, x, y) -> {
      for (int t = 0; t < 3; t++) {
        Map<String, float[]> before = ContractRig.weightsOf(block);
        backward(trainer, x, y);
        hidlr.probeOn(x, y);
        trainer.step();
        Map<String, float[]> after = ContractRig.weightsOf(block);
        // Prodigy moves every parameter only once the last one was seen; the capture, which
        // reads Δ after trainer.step(), must see both moves.
        assertThat(after.get("weight")).isNotEqualTo(before.get("weight"));
        assertThat(after.get("bias")).isNotEqualTo(before.get("bias"));
      }
      assertThat(prodigy.stepIndex()).isEqualTo(3);
    });
  }

  @Test
  void hiDlrOverAWholeStepBaseRecoversFromAStepAbortedPartWay() {
    overProdigy((block, prodigy, hidlr, trainer, x, y) -> {
      backward(trainer, x, y);
      ai.djl.nn.Parameter weight = block.getParameters().get("weight");
      Map<String, float[]> before = ContractRig.weightsOf(block);
      try (NDArray g = weight.getArray().getGradient()) {
        // The base gets the weight's part of a step that never completes.
        hidlr.update(weight.getId(), weight.getArray(), g);
        assertThatThrownBy(() -> hidlr.update(weight.getId(), weight.getArray(), g))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("never completed");
      }
      assertThat(ContractRig.weightsOf(block).get("weight")).containsExactly(before.get("weight"));
      assertThat(prodigy.stepIndex()).isZero();
      // The next step is whole again: the base dropped its part of the aborted one.
      backward(trainer, x, y);
      hidlr.probeOn(x, y);
      trainer.step();
      assertThat(prodigy.stepIndex()).isEqualTo(1);
      assertThat(ContractRig.weightsOf(block).get("weight")).isNotEqualTo(before.get("weight"));
    });
  }

  @Test
  void buildersRequireTheBlockAndCheckEveryOption() {
    assertThatThrownBy(() -> Baselines.prodigy().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setBlock(model.getBlock())");
    Block block = ContractRig.newBlock();
    assertThatThrownBy(() -> Baselines.prodigy().setBlock(block).optD0(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("d0 must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> Baselines.prodigy().setBlock(block).optGrowthRate(0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("growthRate must be >= 1");
    assertThatThrownBy(() -> Baselines.prodigy().setBlock(block).optBeta3(1f).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta3");
    assertThatThrownBy(() -> Baselines.dAdaptAdam().setBlock(block).optBeta2(1f).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta2");
    assertThatThrownBy(() -> Baselines.dAdaptAdam().setBlock(block).setLearningRate(0f).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> Baselines.dog().setBlock(block).optRepsRel(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repsRel");
    assertThatThrownBy(() -> Baselines.dog().setBlock(block).optAveragingGamma(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gamma");
    assertThatThrownBy(() -> Baselines.scheduleFreeAdamW().setBlock(block).optBeta1(0f).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta1 must be in (0, 1)");
    assertThatThrownBy(
            () -> Baselines.scheduleFreeAdamW().setBlock(block).optWarmupSteps(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps");
    assertThatThrownBy(() -> Baselines.dog().setBlock(block).optSchedule(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schedule");
  }

  @Test
  void everyBaselinePrintsItsReferenceDefaults() {
    Block block = ContractRig.newBlock();
    assertThat(Baselines.prodigy().setBlock(block).build().toString())
        .startsWith("Prodigy{learningRate=1.0,")
        .contains(
            "beta1=0.8999999761581421",
            "beta3=" + Math.sqrt(0.999f),
            "epsilon=9.99999993922529E-9",
            "weightDecay=0.0",
            "decoupled=true",
            "biasCorrection=false",
            "safeguardWarmup=false",
            "d0=1.0E-6",
            "dCoef=1.0",
            "growthRate=Infinity",
            "schedule=LearningRateSchedule[decay=CONSTANT, totalSteps=0, warmupSteps=0]");
    assertThat(Baselines.dAdaptAdam().setBlock(block).build().toString())
        .startsWith("DAdaptAdam{learningRate=1.0,")
        .contains("decoupled=false", "d0=1.0E-6", "growthRate=Infinity");
    assertThat(Baselines.dog().setBlock(block).build().toString())
        .startsWith("DoG{learningRate=1.0,")
        .contains(
            "repsRel=1.0E-6", "epsilon=1.0E-8", "initEta=none", "averaging=true", "gamma=8.0");
    assertThat(Baselines.scheduleFreeAdamW().setBlock(block).build().toString())
        .startsWith("ScheduleFreeAdamW{learningRate=0.0025,")
        .contains("warmupSteps=0", "r=0.0", "weightLrPower=2.0", "weightDecay=0.0");
    assertThat(Baselines.dog().setBlock(block).optAveraging(false).build().slotNames())
        .containsExactly(DoG.X0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void handsOverNoDirectionSoHiDlrDifferencesIt(Method m) {
    try (DirectRig rig = new DirectRig(manager, m.factory())) {
      NdOptimizer optimizer = (NdOptimizer) rig.optimizer;
      assertThat(optimizer.handsOverDirections()).isFalse();
      try (NDArray g = manager.create(new float[6], new Shape(2, 3))) {
        assertThatThrownBy(() -> optimizer.captureDirection(rig.weight.getId(),
                rig.weight.getArray(), g))
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("HiDlr.on(optimizer, rate)");
      }
      assertThat(rig.values()).containsExactly(DirectRig.W0);
    }
  }

  @Test
  void diagnosticsListTheGlobalStateInOrder() {
    try (DirectRig rig = new DirectRig(manager, b -> Baselines.prodigy().setBlock(b).build())) {
      rig.step(DirectRig.GRADS[0]);
      assertThat(((Prodigy) rig.optimizer).diagnostics().keySet())
          .containsExactly(
              "effectiveLearningRate", "stepIndex", "d", "dMax", "dHat", "dNumerator", "dDenom",
              "k");
    }
  }

  @Test
  void stateStreamsAreChecked() throws IOException {
    try (DirectRig rig = new DirectRig(manager, b -> Baselines.prodigy().setBlock(b).build())) {
      rig.step(DirectRig.GRADS[0]);
      Prodigy prodigy = (Prodigy) rig.optimizer;
      byte[] state = save(prodigy, rig.block);
      DAdaptAdam other = Baselines.dAdaptAdam().setBlock(rig.block).build();
      assertThatThrownBy(() -> load(other, rig.block, state))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("saved by io.github.hidlr.djl.baseline.Prodigy");
      Prodigy fresh = Baselines.prodigy().setBlock(rig.block).build();
      assertThatThrownBy(() -> load(fresh, rig.block, Arrays.copyOf(state, 30)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ends early");
      assertThatThrownBy(() -> load(fresh, rig.block, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("HDLO");
      assertThat(fresh.stepIndex()).as("nothing installed").isZero();
      load(fresh, rig.block, state);
      assertThat(fresh.diagnostics()).isEqualTo(prodigy.diagnostics());
      try (NDArray g = manager.create(new float[6], new Shape(2, 3))) {
        prodigy.update(rig.weight.getId(), rig.weight.getArray(), g);
      }
      assertThatThrownBy(() -> save(prodigy, rig.block))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("middle of step 1");
    }
  }

  private static byte[] save(WholeStepOptimizer<?> optimizer, Block block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      optimizer.saveState(block, out);
    }
    return bytes.toByteArray();
  }

  private static void load(WholeStepOptimizer<?> optimizer, Block block, byte[] state)
      throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      optimizer.loadState(block, manager, in);
    }
  }
}
