package io.github.hidlr.djl.optim;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * One configuration per optimizer feature, each with the independent scalar rule it must follow:
 * the shared table of the contract tests (reference values, linearity in η, checkpoints).
 */
final class OptimCases {

  private OptimCases() {}

  /** A named configuration: builds the optimizer and its scalar reference at a given η. */
  record Case(
      String name,
      DoubleFunction<NdOptimizer> optimizer,
      DoubleFunction<ScalarReference.Rule> reference) {

    NdOptimizer build(double lr) {
      return optimizer.apply(lr);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final float WD = 0.05f;

  static List<Case> all() {
    return List.of(
        new Case(
            "sgd",
            lr -> Optimizers.sgd().setLearningRate((float) lr).build(),
            lr -> ScalarReference.sgd(lr, 0, 0, false, 0, 1, -1)),
        new Case(
            "sgd weight decay, rescale 0.5, clip 0.4",
            lr ->
                Optimizers.sgd()
                    .setLearningRate((float) lr)
                    .optWeightDecay(WD)
                    .setRescaleGrad(0.5f)
                    .optClipGrad(0.4f)
                    .build(),
            lr -> ScalarReference.sgd(lr, 0, 0, false, WD, 0.5f, 0.4f)),
        new Case(
            "sgd momentum 0.9",
            lr -> Optimizers.sgd().setLearningRate((float) lr).optMomentum(0.9f).build(),
            lr -> ScalarReference.sgd(lr, 0.9f, 0, false, 0, 1, -1)),
        new Case(
            "sgd momentum 0.8, dampening 0.3, weight decay",
            lr ->
                Optimizers.sgd()
                    .setLearningRate((float) lr)
                    .optMomentum(0.8f)
                    .optDampening(0.3f)
                    .optWeightDecay(WD)
                    .build(),
            lr -> ScalarReference.sgd(lr, 0.8f, 0.3f, false, WD, 1, -1)),
        new Case(
            "sgd nesterov 0.9",
            lr ->
                Optimizers.sgd()
                    .setLearningRate((float) lr)
                    .optMomentum(0.9f)
                    .optNesterov(true)
                    .build(),
            lr -> ScalarReference.sgd(lr, 0.9f, 0, true, 0, 1, -1)),
        new Case(
            "rmsprop",
            lr -> Optimizers.rmsProp().setLearningRate((float) lr).build(),
            lr -> ScalarReference.rmsProp(lr, 0.99f, 1e-8f, 0, false, 0)),
        new Case(
            "rmsprop momentum 0.9, weight decay",
            lr ->
                Optimizers.rmsProp()
                    .setLearningRate((float) lr)
                    .optMomentum(0.9f)
                    .optWeightDecay(WD)
                    .build(),
            lr -> ScalarReference.rmsProp(lr, 0.99f, 1e-8f, 0.9f, false, WD)),
        new Case(
            "rmsprop centered, alpha 0.9, momentum 0.5",
            lr ->
                Optimizers.rmsProp()
                    .setLearningRate((float) lr)
                    .optAlpha(0.9f)
                    .optCentered(true)
                    .optMomentum(0.5f)
                    .build(),
            lr -> ScalarReference.rmsProp(lr, 0.9f, 1e-8f, 0.5f, true, 0)),
        new Case(
            "adagrad",
            lr -> Optimizers.adagrad().setLearningRate((float) lr).build(),
            lr -> ScalarReference.adagrad(lr, 1e-10f, 0, 0)),
        new Case(
            "adagrad initial accumulator 0.1, weight decay",
            lr ->
                Optimizers.adagrad()
                    .setLearningRate((float) lr)
                    .optInitialAccumulatorValue(0.1f)
                    .optWeightDecay(WD)
                    .build(),
            lr -> ScalarReference.adagrad(lr, 1e-10f, 0.1f, WD)),
        new Case(
            "adam",
            lr -> Optimizers.adam().setLearningRate((float) lr).build(),
            lr -> ScalarReference.adam(lr, 0.9f, 0.999f, 1e-8f, 0, false)),
        new Case(
            "adam L2 weight decay, betas (0.8, 0.99)",
            lr ->
                Optimizers.adam()
                    .setLearningRate((float) lr)
                    .optBeta1(0.8f)
                    .optBeta2(0.99f)
                    .optWeightDecay(WD)
                    .build(),
            lr -> ScalarReference.adam(lr, 0.8f, 0.99f, 1e-8f, WD, false)),
        new Case(
            "adamw default weight decay 0.01",
            lr -> Optimizers.adamW().setLearningRate((float) lr).build(),
            lr -> ScalarReference.adam(lr, 0.9f, 0.999f, 1e-8f, 0.01f, true)),
        new Case(
            "adamw weight decay 0.2",
            lr -> Optimizers.adamW().setLearningRate((float) lr).optWeightDecay(0.2f).build(),
            lr -> ScalarReference.adam(lr, 0.9f, 0.999f, 1e-8f, 0.2f, true)));
  }
}
