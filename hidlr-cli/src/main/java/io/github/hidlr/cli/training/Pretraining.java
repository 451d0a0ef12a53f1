package io.github.hidlr.cli.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Pretraining for the fine-tuning experiments: a plain Adam run (rate 1e-3) of a task whose
 * trained parameters are kept as bytes, and the loading of those bytes into a fresh block.
 */
public final class Pretraining {

  private Pretraining() {}

  /**
   * Trains the task with Adam and returns its parameters.
   *
   * @param context the experiment's context (progress)
   * @param task the pretraining task
   * @param steps the budget
   * @param seed the seed
   * @return the block's parameters as written by {@code Block.saveParameters}
   */
  public static byte[] parameters(ExperimentContext context, Task task, int steps, long seed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Comparison(context, new MethodTrainer(seed, steps, 64)).train(task,
        Method.plain("adam",
            Methods.at(rate -> Optimizers.adam().setLearningRate((float) rate), 1e-3)),
        steps,
        (block, manager) -> {
          try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return bytes.toByteArray();
  }

  /**
   * Initialises a fresh block of the pretrained architecture and loads the parameters.
   *
   * @param block the fresh block
   * @param manager the model's manager
   * @param inputShape the shape to initialise with
   * @param parameters bytes from {@link #parameters}
   * @param <B> the block's type
   * @return the block, loaded
   */
  public static <B extends Block> B load(B block, NDManager manager, Shape inputShape,
      byte[] parameters) {
    block.initialize(manager, DataType.FLOAT32, inputShape);
    try {
      block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("cannot load the pretrained parameters", e);
    }
    return block;
  }
}
