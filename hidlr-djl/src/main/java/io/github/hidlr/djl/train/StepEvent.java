package io.github.hidlr.djl.train;

import io.github.hidlr.djl.StepOutcome;

/**
 * One training step, as listeners see it.
 *
 * @param epoch the epoch, from 0
 * @param trainLoss the training batch's loss before the step
 * @param outcome the rates applied, the probe report on probing steps, newly frozen parameters
 * @param stepNanos wall time of the whole step (forward, backward, update, probe)
 */
public record StepEvent(int epoch, double trainLoss, StepOutcome outcome, long stepNanos) {}
