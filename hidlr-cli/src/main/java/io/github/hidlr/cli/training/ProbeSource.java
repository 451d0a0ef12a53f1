package io.github.hidlr.cli.training;

/**
 * Where a tuned run draws the batch that Hi-DLR probes the loss on.
 *
 * <p>The probe's fit {@code L(η) ≈ L0 − b η + a η²/2} estimates the rate that most lowers the
 * loss of the probe batch. Drawn from the training data, that batch is data the model has
 * already trained on after the first epoch, so its loss underestimates the population loss
 * and keeps falling along directions that only memorise: the fitted rate is biased upward the
 * longer the run. Drawn from a held-out part of the training data that the run never trains
 * on, the probe estimates the rate that most lowers the loss on unseen data.
 */
public enum ProbeSource {
  /** The next training batch, as the reference implementation (gen-optim's {@code tr_iter}). */
  NEXT_BATCH,
  /**
   * A batch of a held-out {@link #HELD_OUT_FRACTION} of the training data, split off once per
   * run with the run's seed; the tuned run trains on the rest. When the held-out part is no
   * larger than a batch, every probe uses all of it.
   */
  HELD_OUT;

  /** The fraction of the training data held out for {@link #HELD_OUT}: a usual validation split. */
  public static final double HELD_OUT_FRACTION = 0.1;
}
