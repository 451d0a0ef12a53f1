package io.github.hidlr.djl.baseline;

import ai.djl.pytorch.jni.JniUtils;
import java.util.Objects;

/**
 * The model's parameters temporarily replaced by an optimizer's evaluation point: DoG's averaged
 * iterate ({@link DoG#averagedWeights()}) or Schedule-Free's {@code x} sequence ({@link
 * ScheduleFreeAdamW#evaluationWeights()}). Evaluate inside a try-with-resources block; {@link
 * #close()} puts the training weights back, and training is refused until it has.
 *
 * <pre>{@code
 * try (WeightSwap swap = dog.averagedWeights()) {
 *   NDList prediction = trainer.evaluate(data);
 * }
 * }</pre>
 */
public final class WeightSwap implements AutoCloseable {

  private final Runnable restore;
  private boolean closed;

  WeightSwap(Runnable restore) {
    this.restore = Objects.requireNonNull(restore, "restore");
  }

  /**
   * Tells whether the training weights were put back.
   *
   * @return true once {@link #close()} ran
   */
  public boolean isClosed() {
    return closed;
  }

  /** Puts the training weights back; calling it again does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      restore.run();
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }
}
