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
   */
  public record Data(NDArray trainX, NDArray trainY, NDArray testX, NDArray testY) {

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
