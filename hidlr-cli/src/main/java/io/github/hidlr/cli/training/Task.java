package io.github.hidlr.cli.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A supervised task: how to build the model and the data, and how to score it.
 *
 * @param name the task's name in tables
 * @param model builds a fresh block in the model's manager (called once per method, after
 *     seeding); it may come initialised, e.g. with pretrained weights
 * @param inputShape the shape to initialise the block with
 * @param prepare optional hook after initialisation (load pretrained weights, set a frozen
 *     base), or {@code null}
 * @param data makes the data in a manager (called once per method with the same seed)
 * @param loss the training loss
 * @param kind how accuracy is computed
 */
public record Task(
    String name,
    Function<NDManager, Block> model,
    Shape inputShape,
    java.util.function.Consumer<Block> prepare,
    Function<NDManager, Data> data,
    Supplier<Loss> loss,
    Kind kind) {

  /** How predictions are scored. */
  public enum Kind {
    /** Regression: no accuracy. */
    REGRESSION,
    /** Multi-class: argmax over the outputs against integer labels. */
    MULTICLASS,
    /** Several binary tasks: output {@code > 0} against 0/1 labels, averaged over tasks. */
    MULTILABEL
  }

  /**
   * Train and test arrays.
   *
   * @param trainX training inputs
   * @param trainY training labels
   * @param testX test inputs
   * @param testY test labels
   * @param trainLossX the inputs the training loss is reported on at each checkpoint: all of
   *     {@code trainX}, or a subset where a pass over the whole set costs more than the
   *     training itself
   * @param trainLossY their labels
   */
  public record Data(NDArray trainX, NDArray trainY, NDArray testX, NDArray testY,
      NDArray trainLossX, NDArray trainLossY) {

    /**
     * Train and test arrays; the training loss is reported on the whole training set.
     *
     * @param trainX training inputs
     * @param trainY training labels
     * @param testX test inputs
     * @param testY test labels
     */
    public Data(NDArray trainX, NDArray trainY, NDArray testX, NDArray testY) {
      this(trainX, trainY, testX, testY, trainX, trainY);
    }

    /**
     * The same data, with the training loss reported on the first {@code n} training examples.
     *
     * @param n how many, at least 1
     * @return the data
     */
    public Data trainLossOnFirst(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("the training loss needs at least one example");
      }
      long m = Math.min(n, trainSize());
      return new Data(trainX, trainY, testX, testY, trainX.get("0:" + m), trainY.get("0:" + m));
    }

    /**
     * Number of training examples.
     *
     * @return the count
     */
    public long trainSize() {
      return trainX.getShape().get(0);
    }
  }
}
