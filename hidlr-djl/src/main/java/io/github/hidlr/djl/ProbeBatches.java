package io.github.hidlr.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;

/**
 * Where a Hi-DLR step's probe batch comes from (ALGORITHM.md §6): the next batch of its own pass
 * over a dataset, starting over at its end (the reference code's {@code tr_iter}), one fixed
 * batch, or the batch the training loop offers before each step ({@link HiDlrOptimizer#probeOn}).
 * A probing step draws its batch before the base optimizer runs and uses it for every probe
 * pass; the batch is released when the step ends, or kept for the next step when the step
 * failed, so that a refused step does not move the dataset's position. Not thread-safe.
 */
final class ProbeBatches {

  private final HiDlr.ProbeSource source;
  private NDManager stepManager;
  private NDManager iteratorManager;
  private Iterator<Batch> iterator;
  /** This step's batch, once drawn. */
  private NDList[] current;
  /** The batch offered for the next step, if any. */
  private NDList[] offered;
  /** A batch drawn by a step that failed, and its manager: the next draw. */
  private NDList[] retained;
  private NDManager retainedManager;

  /**
   * Batches from a source.
   *
   * @param source the builder's source; null when the rates are fixed (no step probes)
   */
  ProbeBatches(HiDlr.ProbeSource source) {
    this.source = source;
  }

  /**
   * Prepares the probe dataset, if any, once, outside the probe passes' scopes (a dataset that
   * loads its arrays when prepared would have them closed with a probe pass's scope).
   *
   * @throws IllegalStateException if the dataset cannot be read
   */
  void prepare() {
    if (source != null && source.dataset() != null) {
      try {
        source.dataset().prepare();
      } catch (IOException | TranslateException e) {
        throw new IllegalStateException("could not prepare the probe dataset given to"
            + " HiDlr.probes(...): " + e.getMessage() + ". Check that its data can be read;"
            + " the step was refused, its gradients cleared, and the next step tries again", e);
      }
    }
  }

  /**
   * Offers the batch of the next step, in place of the source's.
   *
   * @param data the inputs
   * @param labels the labels
   * @throws IllegalArgumentException if the batch is empty
   */
  void offer(NDList data, NDList labels) {
    Objects.requireNonNull(labels, "probe labels");
    if (data == null || data.isEmpty() || data.head().getShape().size() == 0) {
      throw new IllegalArgumentException("the probe batch is empty: Hi-DLR needs at least one"
          + " example to measure the loss on (check the dataset and the batch size)");
    }
    offered = new NDList[] {data, labels};
  }

  /**
   * This step's batch: drawn on the first call of the step, the same afterwards.
   *
   * @param parent the manager a drawn batch's arrays are attached to (through a sub-manager
   *     closed at {@link #endStep})
   * @return the inputs and the labels
   * @throws IllegalStateException if there is no batch to probe on
   */
  NDList[] current(NDManager parent) {
    if (current == null) {
      if (offered != null) {
        current = offered;
      } else if (source != null && source.fixed() != null) {
        current = source.fixed();
      } else if (retained != null) {
        current = retained;
        stepManager = retainedManager;
        retained = null;
        retainedManager = null;
      } else if (source != null && source.dataset() != null) {
        stepManager = parent.newSubManager();
        current = next(parent);
      } else {
        throw new IllegalStateException("this step probes but has no probe batch: call"
            + " hidlr.probeOn(data, labels) before trainer.step(), or give the HiDlr builder a"
            + " probe source (probes(trainSet))");
      }
    }
    return current;
  }

  /**
   * Ends a step that failed: a batch it drew from the dataset is kept for the next step, which
   * then probes on it; an offered batch is forgotten (offer it again for the retry).
   */
  void abandonStep() {
    if (stepManager != null && current != null) {
      retained = current;
      retainedManager = stepManager;
    } else if (stepManager != null) {
      // The draw itself failed: nothing to keep.
      stepManager.close();
    }
    stepManager = null;
    current = null;
    offered = null;
  }

  /** Ends the step: its batch and any offered batch are forgotten, a drawn one is closed. */
  void endStep() {
    current = null;
    offered = null;
    if (stepManager != null) {
      stepManager.close();
      stepManager = null;
    }
  }

  private NDList[] next(NDManager parent) {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (iterator == null || !iterator.hasNext()) {
        iterator = iterate(parent);
      }
      if (iterator.hasNext()) {
        Batch batch = iterator.next();
        NDList data = batch.getData();
        NDList labels = batch.getLabels();
        // Used by every probe pass of this step: kept out of any scope open while drawing.
        NDScope.unregister(data);
        NDScope.unregister(labels);
        data.attach(stepManager);
        labels.attach(stepManager);
        batch.close();
        return new NDList[] {data, labels};
      }
    }
    throw new IllegalStateException("the probe dataset yields no batch: give HiDlr.probes(...)"
        + " a dataset with at least one example (usually the training set)");
  }

  private Iterator<Batch> iterate(NDManager parent) {
    if (iteratorManager != null) {
      iteratorManager.close();
    }
    iteratorManager = parent.newSubManager();
    try {
      return source.dataset().getData(iteratorManager).iterator();
    } catch (IOException | TranslateException e) {
      throw new IllegalStateException("could not read the probe dataset: " + e.getMessage(), e);
    }
  }
}
