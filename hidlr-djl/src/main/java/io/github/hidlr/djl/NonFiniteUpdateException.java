package io.github.hidlr.djl;

/**
 * The base optimizer produced a NaN or infinite update (an exploding gradient, a NaN loss, a
 * rate far too large). Thrown by {@link HiDlrOptimizer}'s step (out of {@code trainer.step()});
 * the weights are left exactly as they were before the step, and the gradients are cleared.
 */
public final class NonFiniteUpdateException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened and what to do
   */
  public NonFiniteUpdateException(String message) {
    super(message);
  }
}
