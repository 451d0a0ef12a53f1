package io.github.hidlr.djl.train;

/** Which batch the probe's forward passes use (ALGORITHM.md §3, "probe batch"). */
public enum ProbeBatch {
  /**
   * The next training batch, as the reference GeN code does: the fit is then not biased by the
   * batch the gradient came from. The last batch of an epoch probes on itself.
   */
  NEXT,
  /** The batch the gradient came from. */
  SAME,
  /** A fixed probe set given to the loop. */
  FIXED
}
