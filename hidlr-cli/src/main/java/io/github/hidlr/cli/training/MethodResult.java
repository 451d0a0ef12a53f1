package io.github.hidlr.cli.training;

import java.util.List;

/**
 * What training one method produced.
 *
 * @param method the method's name
 * @param trainLoss training-batch loss per step
 * @param rates the per-group rates applied per step (one entry for plain runs)
 * @param groupNames names of the rate columns
 * @param checkpoints test metrics at 10%, 30% and 100% of the budget
 * @param wallSeconds wall time of the training
 * @param steps the budget in steps
 * @param divergedAt the step at which training diverged (a non-finite loss or update, or a
 *     final training loss above twice the first), or {@code -1}; the checkpoints after it
 *     repeat the metrics at the last finite step
 */
public record MethodResult(
    String method,
    double[] trainLoss,
    List<double[]> rates,
    List<String> groupNames,
    List<Checkpoint> checkpoints,
    double wallSeconds,
    long steps,
    long divergedAt) {

  /**
   * Whether training diverged.
   *
   * @return true if it did
   */
  public boolean diverged() {
    return divergedAt >= 0;
  }

  /**
   * The same result under another name, e.g. a grid's best under {@code ulr-best}.
   *
   * @param name the new name
   * @param wall the wall time to report
   * @return the renamed result
   */
  public MethodResult renamed(String name, double wall) {
    return new MethodResult(name, trainLoss, rates, groupNames, checkpoints, wall, steps,
        divergedAt);
  }

  /**
   * Test metrics at one point of the budget.
   *
   * @param step the step
   * @param fraction the fraction of the budget
   * @param trainLoss full training-set loss
   * @param testLoss test loss
   * @param testAccuracy test accuracy, or NaN for regression
   */
  public record Checkpoint(
      long step, double fraction, double trainLoss, double testLoss, double testAccuracy) {}

  /**
   * The metrics at the end of the budget.
   *
   * @return the last checkpoint
   */
  public Checkpoint last() {
    return checkpoints.get(checkpoints.size() - 1);
  }
}
