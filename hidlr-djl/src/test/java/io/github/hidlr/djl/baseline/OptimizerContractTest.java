package io.github.hidlr.djl.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.NonFiniteUpdateException;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract for every optimizer (hidlr's linear optimizers, the learning-rate-free baselines,
 * the schedule and LoRA+ wrappers) and every Hi-DLR preset, on the same convex problem ({@link
 * ContractRig}): it decreases the loss, survives a zero gradient, rejects a NaN gradient with a
 * clear error, and resumes from saved state on exactly the same trajectory.
 */
class OptimizerContractTest {

  /**
   * Steps of the convex check. DoG starts from a step of about 1e-6·(1 + ‖x₀‖) and needs ~60 steps
   * to get going; Schedule-Free's default lr 0.0025 lowers this loss by ~15% in 100 steps; the
   * others are far below 0.1× by then.
   */
  private static final int STEPS = 100;

  /** How the subject reacts to a NaN gradient. */
  enum NanPolicy {
    /** Refused before anything changed; training continues normally afterwards. */
    REJECTS_WHOLE_STEP,
    /**
     * Refused with the weights untouched (Hi-DLR's NonFiniteUpdateException), but the base
     * optimizer's state has absorbed the NaN.
     */
    REJECTS_WEIGHTS_UNTOUCHED,
    /** Propagated into the weights by design (NdOptimizer's documented contract). */
    PROPAGATES
  }

  record Subject(String name, Supplier<ContractRig> rig, NanPolicy nan) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Subject> subjects() {
    return List.of(
        plain("sgd 0.05", b -> Optimizers.sgd().setLearningRate(0.05f).build()),
        plain(
            "sgd nesterov 0.9, lr 0.02",
            b ->
                Optimizers.sgd()
                    .setLearningRate(0.02f)
                    .optMomentum(0.9f)
                    .optNesterov(true)
                    .build()),
        plain("rmsprop 0.01", b -> Optimizers.rmsProp().setLearningRate(0.01f).build()),
        plain("adagrad 0.2", b -> Optimizers.adagrad().setLearningRate(0.2f).build()),
        plain("adam 0.05", b -> Optimizers.adam().setLearningRate(0.05f).build()),
        plain("adamw 0.05", b -> Optimizers.adamW().setLearningRate(0.05f).build()),
        baseline("prodigy", b -> Baselines.prodigy().setBlock(b).build()),
        baseline("d-adapt adam", b -> Baselines.dAdaptAdam().setBlock(b).build()),
        baseline("dog", b -> Baselines.dog().setBlock(b).build()),
        baseline("schedule-free adamw", b -> Baselines.scheduleFreeAdamW().setBlock(b).build()),
        hiDlr(
            "hi-dlr fixed rate, cosine schedule",
            TunerConfig.fixed().setInitialRate(0.05).optHorizon(Horizon.COSINE, 2 * STEPS).build(),
            ParameterGroups.single("all")),
        hiDlr(
            "hi-dlr fixed rates, bias 16 times the weight's (as LoRA+)",
            TunerConfig.fixed().setInitialRate(0.01).optInitialRate("bias", 0.16).build(),
            twoGroups()),
        hiDlr(
            "hi-dlr preset gen",
            TunerConfig.gen().setInitialRate(1e-2).build(),
            ParameterGroups.single("all")),
        hiDlr("hi-dlr preset hiDlr", TunerConfig.hiDlr().setInitialRate(1e-2).build(), twoGroups()),
        hiDlr("hi-dlr preset cdat", TunerConfig.cdat().setInitialRate(1e-2).build(), twoGroups()));
  }

  private static ParameterGroups twoGroups() {
    return ParameterGroups.builder()
        .add(GroupSpec.kind("weight", ParameterKind.WEIGHT))
        .add(GroupSpec.kind("bias", ParameterKind.BIAS))
        .build();
  }

  private static Subject plain(String name, Function<Block, Optimizer> f) {
    return new Subject(name, () -> new ContractRig.Plain(f), NanPolicy.PROPAGATES);
  }

  private static Subject baseline(String name, Function<Block, Optimizer> f) {
    return new Subject(name, () -> new ContractRig.Plain(f), NanPolicy.REJECTS_WHOLE_STEP);
  }

  private static Subject hiDlr(String name, TunerConfig config, ParameterGroups groups) {
    return new Subject(
        "hi-dlr " + name.substring("hi-dlr ".length()),
        () -> new ContractRig.HiDlr(config, groups),
        NanPolicy.REJECTS_WEIGHTS_UNTOUCHED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void decreasesAConvexLoss(Subject s) {
    try (ContractRig rig = s.rig().get()) {
      double initial = rig.loss();
      rig.train(0, STEPS);
      double last = rig.loss();
      assertThat(last)
          .as("loss after %d steps (from %s)", STEPS, initial)
          .isLessThan(0.9 * initial);
      EffectiveRate rate = rig.effectiveRate();
      if (rate != null) {
        assertThat(rate.effectiveLearningRate()).isFinite().isPositive();
        assertThat(rate.diagnostics().values()).allMatch(v -> !v.isInfinite());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void survivesAZeroGradient(Subject s) {
    try (ContractRig rig = s.rig().get()) {
      // Not at the very first step: DJL's trainer refuses an all-zero first gradient itself.
      rig.train(0, 2);
      double before = rig.loss();
      rig.step(2, 0f, false);
      assertFinite(rig.weights());
      rig.train(3, 30);
      assertFinite(rig.weights());
      assertThat(rig.loss()).isLessThan(before);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void rejectsANanGradientWithAClearError(Subject s) {
    assumeTrue(
        s.nan() != NanPolicy.PROPAGATES,
        "hidlr's NdOptimizers propagate non-finite gradients by design (NdOptimizer javadoc,"
            + " NdOptimizerContractTest); Hi-DLR's optimizer rejects them");
    try (ContractRig rig = s.rig().get()) {
      rig.train(0, 3);
      Map<String, float[]> before = rig.weights();
      if (s.nan() == NanPolicy.REJECTS_WHOLE_STEP) {
        assertThatThrownBy(() -> rig.step(3, 1f, true))
            .isInstanceOf(NonFiniteUpdateException.class)
            .hasMessageContaining("NaN")
            .hasMessageMatching("(?s).*parameter \"(weight|bias)\".*");
      } else {
        assertThatThrownBy(() -> rig.step(3, 1f, true))
            .isInstanceOf(NonFiniteUpdateException.class)
            .hasMessageContaining("not finite")
            .hasMessageMatching("(?s).*parameter \"(weight|bias)\".*");
      }
      assertThat(rig.weights()).as("weights untouched").containsExactlyEntriesOf(before);
      if (s.nan() == NanPolicy.REJECTS_WHOLE_STEP) {
        // Nothing of the refused step stayed behind: training goes on as before.
        double loss = rig.loss();
        rig.train(3, 10);
        assertFinite(rig.weights());
        assertThat(rig.loss()).isLessThan(loss);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void savesAndRestoresItsState(Subject s, @TempDir Path dir) throws IOException {
    Map<String, float[]> uninterrupted;
    try (ContractRig rig = s.rig().get()) {
      rig.train(0, 5);
      rig.save(dir);
      rig.train(5, 5);
      uninterrupted = rig.weights();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("saved files").isNotEmpty();
    }
    try (ContractRig resumed = s.rig().get()) {
      resumed.restore(dir);
      resumed.train(5, 5);
      assertThat(resumed.weights()).containsExactlyEntriesOf(uninterrupted);
    }
  }

  private static void assertFinite(Map<String, float[]> weights) {
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      for (float v : e.getValue()) {
        assertThat(v).as(e.getKey()).isFinite();
      }
    }
  }
}
