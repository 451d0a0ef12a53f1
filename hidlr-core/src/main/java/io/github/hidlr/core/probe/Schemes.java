package io.github.hidlr.core.probe;

/** Argument checks shared by the schemes. */
final class Schemes {

  private Schemes() {}

  static void checkSizes(double[] probeSizes, int groups) {
    if (probeSizes.length != groups) {
      throw new IllegalArgumentException(
          probeSizes.length + " probe sizes for " + groups + " groups");
    }
    for (int k = 0; k < groups; k++) {
      if (!(probeSizes[k] > 0) || !Double.isFinite(probeSizes[k])) {
        throw new IllegalArgumentException(
            "probe size h_" + k + " = " + probeSizes[k] + " must be finite and > 0");
      }
    }
  }

  static void checkLosses(ProbePlan plan, double[] losses) {
    if (losses.length != plan.forwardPasses()) {
      throw new IllegalArgumentException(
          losses.length + " losses for a plan of " + plan.forwardPasses() + " displacements");
    }
    for (int j = 0; j < losses.length; j++) {
      if (!Double.isFinite(losses[j])) {
        throw new IllegalArgumentException("loss " + j + " is " + losses[j]
            + ": fits need finite losses (the tuner handles non-finite ones before fitting)");
      }
    }
  }
}
