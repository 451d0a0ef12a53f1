package io.github.hidlr.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.hidlr.djl.Tensors;

/**
 * DJL's {@code Loss.l2Loss()}, {@code mean(½ (y − ŷ)²)}, computed in the same order (the label
 * reshaped to the prediction, difference, square, times ½, mean) and so to the same bits, but
 * with the ½ held by PyTorch ({@link Tensors#constant}). DJL's own version multiplies by a
 * {@code Number}, whose memory can be garbage-collected between the forward and the backward
 * pass, which then scales every gradient by whatever lies there.
 */
public final class HalfSquaredErrorLoss extends Loss {

  /** The loss, named {@code L2Loss} as DJL's. */
  public HalfSquaredErrorLoss() {
    super("L2Loss");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray prediction = predictions.singletonOrThrow();
    NDArray label = labels.singletonOrThrow().reshape(prediction.getShape());
    NDArray squared = label.sub(prediction).square();
    return squared.mul(Tensors.constant(squared, 0.5)).mean();
  }
}
