package io.github.hidlr.djl.train;

/**
 * One epoch's results.
 *
 * @param epoch the epoch, from 0
 * @param steps training steps in the epoch
 * @param trainLoss mean training-batch loss over the epoch
 * @param validationLoss mean loss on the validation set, NaN without one
 * @param rates the per-group rates applied at the epoch's last step
 * @param wallSeconds the epoch's wall time
 */
public record EpochSummary(
    int epoch, long steps, double trainLoss, double validationLoss, double[] rates,
    double wallSeconds) {}
