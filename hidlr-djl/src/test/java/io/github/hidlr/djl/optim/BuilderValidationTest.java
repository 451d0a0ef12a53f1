package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad option fails in {@code build()} with an IllegalArgumentException naming the value. */
class BuilderValidationTest {

  private static Arguments bad(String name, Runnable build, String... fragments) {
    return Arguments.of(Named.of(name, build), fragments);
  }

  static Stream<Arguments> badBuilders() {
    return Stream.of(
        bad("no learning rate", () -> Optimizers.sgd().build(), "setLearningRate"),
        bad(
            "NaN learning rate",
            () -> Optimizers.adam().setLearningRate(Float.NaN).build(),
            "learning rate",
            "NaN"),
        bad(
            "negative learning rate",
            () -> Optimizers.rmsProp().setLearningRate(-0.1f).build(),
            "learning rate",
            "-0.1"),
        bad(
            "zero learning rate",
            () -> Optimizers.adagrad().setLearningRate(0f).build(),
            "learning rate",
            "0.0"),
        bad(
            "infinite learning rate",
            () -> Optimizers.adamW().setLearningRate(Float.POSITIVE_INFINITY).build(),
            "learning rate",
            "Infinity"),
        bad(
            "momentum 1",
            () -> Optimizers.sgd().setLearningRate(0.1f).optMomentum(1f).build(),
            "momentum",
            "1.0",
            "[0, 1)"),
        bad(
            "negative momentum",
            () -> Optimizers.sgd().setLearningRate(0.1f).optMomentum(-0.5f).build(),
            "momentum",
            "-0.5"),
        bad(
            "dampening 1.5",
            () -> Optimizers.sgd().setLearningRate(0.1f).optDampening(1.5f).build(),
            "dampening",
            "1.5"),
        bad(
            "nesterov without momentum",
            () -> Optimizers.sgd().setLearningRate(0.1f).optNesterov(true).build(),
            "nesterov",
            "momentum 0.0"),
        bad(
            "nesterov with dampening",
            () ->
                Optimizers.sgd()
                    .setLearningRate(0.1f)
                    .optMomentum(0.9f)
                    .optDampening(0.1f)
                    .optNesterov(true)
                    .build(),
            "nesterov",
            "dampening 0.1"),
        bad(
            "negative weight decay",
            () -> Optimizers.sgd().setLearningRate(0.1f).optWeightDecay(-1e-4f).build(),
            "weight decay",
            "-1.0E-4"),
        bad(
            "NaN weight decay through DJL's optWeightDecays",
            () -> Optimizers.adamW().setLearningRate(0.1f).optWeightDecays(Float.NaN).build(),
            "weight decay",
            "NaN"),
        bad(
            "rmsprop alpha 1",
            () -> Optimizers.rmsProp().setLearningRate(0.1f).optAlpha(1f).build(),
            "alpha",
            "1.0"),
        bad(
            "rmsprop momentum 1.2",
            () -> Optimizers.rmsProp().setLearningRate(0.1f).optMomentum(1.2f).build(),
            "momentum",
            "1.2"),
        bad(
            "rmsprop zero epsilon",
            () -> Optimizers.rmsProp().setLearningRate(0.1f).optEpsilon(0f).build(),
            "epsilon",
            "0.0"),
        bad(
            "adagrad NaN epsilon",
            () -> Optimizers.adagrad().setLearningRate(0.1f).optEpsilon(Float.NaN).build(),
            "epsilon",
            "NaN"),
        bad(
            "adagrad negative accumulator",
            () ->
                Optimizers.adagrad()
                    .setLearningRate(0.1f)
                    .optInitialAccumulatorValue(-0.1f)
                    .build(),
            "initial accumulator",
            "-0.1"),
        bad(
            "adam beta1 1",
            () -> Optimizers.adam().setLearningRate(0.1f).optBeta1(1f).build(),
            "beta1",
            "1.0"),
        bad(
            "adam negative beta2",
            () -> Optimizers.adam().setLearningRate(0.1f).optBeta2(-0.5f).build(),
            "beta2",
            "-0.5"),
        bad(
            "adam negative epsilon",
            () -> Optimizers.adam().setLearningRate(0.1f).optEpsilon(-1e-8f).build(),
            "epsilon",
            "-1.0E-8"),
        bad(
            "zero rescaleGrad",
            () -> Optimizers.sgd().setLearningRate(0.1f).setRescaleGrad(0f).build(),
            "rescaleGrad",
            "0.0"),
        bad(
            "zero clipGrad",
            () -> Optimizers.sgd().setLearningRate(0.1f).optClipGrad(0f).build(),
            "clipGrad",
            "0.0"),
        bad(
            "NaN clipGrad",
            () -> Optimizers.adam().setLearningRate(0.1f).optClipGrad(Float.NaN).build(),
            "clipGrad",
            "NaN"),
        bad(
            "negative beginNumUpdate",
            () -> Optimizers.adam().setLearningRate(0.1f).optBeginNumUpdate(-1).build(),
            "beginNumUpdate",
            "-1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBuilders")
  void buildRejectsTheBadValueByName(Runnable build, String[] fragments) {
    assertThatThrownBy(build::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(fragments);
  }
}
