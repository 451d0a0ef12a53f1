package io.github.hidlr.cli.report;

/**
 * One line of an experiment's {@code summary.json}: a method on a task. Fields that do not
 * apply are {@code null}.
 *
 * @param task the task, e.g. {@code "ellipse"} or {@code "fashion-mnist"}
 * @param method {@code hi-dlr}, {@code hi-ulr}, {@code ulr-best}, {@code lora-plus},
 *     {@code manual-dlr}, {@code prodigy}, {@code d-adaptation}, {@code cosine},
 *     {@code linear}, {@code constant}, {@code full-ft}, …
 * @param finalTrainLoss training loss at the end
 * @param finalTestLoss test loss at the end
 * @param testAccuracy test accuracy at the end, in [0, 1]
 * @param iterationsToTol iterations to reach the task's tolerance
 * @param steps training steps taken
 * @param wallSeconds wall time of the method, including any grid search it needed
 * @param diverged whether training diverged (a non-finite loss or update, or a final training
 *     loss above twice the first); its metrics are those at the last finite step
 */
public record ResultRow(
    String task,
    String method,
    Double finalTrainLoss,
    Double finalTestLoss,
    Double testAccuracy,
    Integer iterationsToTol,
    Long steps,
    Double wallSeconds,
    Boolean diverged) {

  /**
   * Whether the row is a diverged run.
   *
   * @return true if {@link #diverged()} is set and true
   */
  public boolean isDiverged() {
    return Boolean.TRUE.equals(diverged);
  }
}
