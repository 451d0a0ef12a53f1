package io.github.hidlr.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.StepOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The Hi-DLR training loop, in the style of DJL's {@code EasyTrain.fit}: for each batch,
 * forward and backward, then {@code trainer.step()} with the probe batch chosen by
 * {@link ProbeBatch} ({@link HiDlrOptimizer#probeOn}); listeners see every step; validation
 * after every epoch; optional checkpoints at epoch ends. With a seed, the loop re-seeds DJL's
 * engine at the start of each epoch ({@code seed + epoch}), so shuffling and dropout of a
 * resumed run repeat those of an uninterrupted one.
 */
public final class HiDlrFit {

  private static final String AUTO_CLOSE = "ai.djl.dataiterator.autoclose";

  private final int epochs;
  private final int startEpoch;
  private final ProbeBatch probeBatch;
  private final NDList fixedProbeData;
  private final NDList fixedProbeLabels;
  private final Integer seed;
  private final List<HiDlrListener> listeners;
  private final Path checkpointDir;

  private HiDlrFit(Builder b) {
    this.epochs = b.epochs;
    this.startEpoch = b.startEpoch;
    this.probeBatch = b.probeBatch;
    this.fixedProbeData = b.fixedProbeData;
    this.fixedProbeLabels = b.fixedProbeLabels;
    this.seed = b.seed;
    this.listeners = List.copyOf(b.listeners);
    this.checkpointDir = b.checkpointDir;
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains.
   *
   * @param trainer the trainer whose optimizer is {@code hidlr}
   * @param hidlr the trainer's Hi-DLR optimizer; its probe source is not used (the loop gives
   *     every probe batch), so it may be built with {@code probesPerStep()}
   * @param train the training set
   * @param validation the validation set, or {@code null}
   * @return the results
   */
  public FitResult fit(Trainer trainer, HiDlrOptimizer hidlr, Dataset train,
      Dataset validation) {
    Objects.requireNonNull(train, "training dataset");
    if (checkpointDir != null) {
      // Before the first epoch rather than after it: a folder a save would refuse.
      Checkpoint.requireCheckpointFolder(checkpointDir);
    }
    List<EpochSummary> summaries = new ArrayList<>();
    List<FitResult.FrozenParameter> frozen = new ArrayList<>();
    long steps = 0;
    double nanosBefore = 0;
    long stepsBefore = 0;
    double nanosAfter = 0;
    long stepsAfter = 0;
    for (int epoch = startEpoch; epoch < epochs; epoch++) {
      if (seed != null) {
        Engine.getInstance().setRandomSeed(seed + epoch);
      }
      long epochStart = System.nanoTime();
      double lossSum = 0;
      long epochSteps = 0;
      double[] lastRates = new double[0];
      NDManager epochManager = trainer.getManager().newSubManager();
      Iterator<Batch> batches = iterateKeepingBatches(trainer, train, epochManager).iterator();
      Batch current = batches.hasNext() ? batches.next() : null;
      if (current == null) {
        throw new IllegalArgumentException("the training set yields no batch: it is empty or"
            + " smaller than the batch size with drop-last sampling");
      }
      Batch next = null;
      try {
        while (current != null) {
          next = batches.hasNext() ? batches.next() : null;
          try {
            long begin = System.nanoTime();
            double loss = forwardBackward(trainer, current);
            switch (probeBatch) {
              case NEXT -> hidlr.probeOn(next != null ? next.getData() : current.getData(),
                  next != null ? next.getLabels() : current.getLabels());
              case SAME -> hidlr.probeOn(current.getData(), current.getLabels());
              case FIXED -> hidlr.probeOn(fixedProbeData, fixedProbeLabels);
            }
            trainer.step();
            StepOutcome outcome = hidlr.lastStep().orElseThrow(() -> new IllegalStateException(
                "trainer.step() did not complete a Hi-DLR step: a grouped parameter got no"
                    + " gradient (unused in the forward pass?); freeze it or leave it out of"
                    + " the groups"));
            long nanos = System.nanoTime() - begin;
            if (frozen.isEmpty()) {
              nanosBefore += nanos;
              stepsBefore++;
            } else {
              nanosAfter += nanos;
              stepsAfter++;
            }
            for (String name : outcome.newlyFrozen()) {
              frozen.add(new FitResult.FrozenParameter(name, outcome.step()));
            }
            lossSum += loss;
            epochSteps++;
            steps++;
            lastRates = outcome.rates();
            StepEvent event = new StepEvent(epoch, loss, outcome, nanos);
            listeners.forEach(l -> l.onStep(event));
          } finally {
            current.close();
          }
          current = next;
          next = null;
        }
      } finally {
        if (next != null) {
          next.close();
        }
        epochManager.close();
      }
      double validationLoss = validation == null ? Double.NaN : evaluate(trainer, validation);
      EpochSummary summary = new EpochSummary(epoch, epochSteps, lossSum / epochSteps,
          validationLoss, lastRates, (System.nanoTime() - epochStart) / 1e9);
      summaries.add(summary);
      trainer.notifyListeners(listener -> listener.onEpoch(trainer));
      listeners.forEach(l -> l.onEpoch(summary));
      if (checkpointDir != null) {
        try {
          Checkpoint.save(checkpointDir, trainer.getModel(), hidlr, epoch + 1);
        } catch (IOException e) {
          throw new UncheckedIOException("could not write the checkpoint to " + checkpointDir, e);
        }
      }
    }
    return new FitResult(summaries, steps, frozen,
        stepsBefore == 0 ? Double.NaN : nanosBefore / stepsBefore / 1e6,
        stepsAfter == 0 ? Double.NaN : nanosAfter / stepsAfter / 1e6);
  }

  /**
   * The mean loss of the model over a dataset, in inference mode.
   *
   * @param trainer the trainer
   * @param dataset the dataset
   * @return the mean batch loss
   */
  public static double evaluate(Trainer trainer, Dataset dataset) {
    double sum = 0;
    long count = 0;
    for (Batch batch : iterate(trainer, dataset)) {
      try (batch; NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray loss = trainer.getLoss().evaluate(batch.getLabels(),
            trainer.evaluate(batch.getData()));
        sum += loss.getFloat();
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static double forwardBackward(Trainer trainer, Batch batch) {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDArray loss = trainer.getLoss().evaluate(batch.getLabels(),
          trainer.forward(batch.getData()));
      collector.backward(loss);
      return loss.getFloat();
    }
  }

  /**
   * Iterates without DJL's auto-close: by default a data iterator closes every batch it made
   * when {@code hasNext()} first returns false, which would close the batch still being trained
   * on when the loop looks one batch ahead for {@link ProbeBatch#NEXT}. The batches live in
   * {@code manager}, which the caller closes at the end of the epoch.
   */
  private static Iterable<Batch> iterateKeepingBatches(
      Trainer trainer, Dataset dataset, NDManager manager) {
    synchronized (HiDlrFit.class) {
      String previous = System.getProperty(AUTO_CLOSE);
      System.setProperty(AUTO_CLOSE, "false");
      try {
        return dataset.getData(manager, trainer.getExecutorService().orElse(null));
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the dataset", e);
      } catch (TranslateException e) {
        throw new IllegalStateException("could not prepare a batch: " + e.getMessage(), e);
      } finally {
        if (previous == null) {
          System.clearProperty(AUTO_CLOSE);
        } else {
          System.setProperty(AUTO_CLOSE, previous);
        }
      }
    }
  }

  private static Iterable<Batch> iterate(Trainer trainer, Dataset dataset) {
    try {
      return trainer.iterateDataset(dataset);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the dataset", e);
    } catch (TranslateException e) {
      throw new IllegalStateException("could not prepare a batch: " + e.getMessage(), e);
    }
  }

  /** Builder: {@code setEpochs} is required. */
  public static final class Builder {
    private int epochs;
    private int startEpoch;
    private ProbeBatch probeBatch = ProbeBatch.NEXT;
    private NDList fixedProbeData;
    private NDList fixedProbeLabels;
    private Integer seed;
    private final List<HiDlrListener> listeners = new ArrayList<>();
    private Path checkpointDir;

    private Builder() {}

    /**
     * Sets the number of epochs (required).
     *
     * @param count {@code ≥ 1}
     * @return this builder
     */
    public Builder setEpochs(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("epochs = " + count + " must be ≥ 1");
      }
      this.epochs = count;
      return this;
    }

    /**
     * Starts at a later epoch, to resume from a checkpoint ({@link Checkpoint#restore}).
     *
     * @param epoch the first epoch to run, {@code ≥ 0}
     * @return this builder
     */
    public Builder optStartEpoch(int epoch) {
      if (epoch < 0) {
        throw new IllegalArgumentException("start epoch " + epoch + " must be ≥ 0");
      }
      this.startEpoch = epoch;
      return this;
    }

    /**
     * Probes on the next (default) or the same training batch.
     *
     * @param policy NEXT or SAME; use {@link #optFixedProbe} for a fixed set
     * @return this builder
     */
    public Builder optProbeBatch(ProbeBatch policy) {
      if (Objects.requireNonNull(policy, "probe batch") == ProbeBatch.FIXED) {
        throw new IllegalArgumentException(
            "ProbeBatch.FIXED needs the probe set: call optFixedProbe(data, labels)");
      }
      this.probeBatch = policy;
      return this;
    }

    /**
     * Probes on a fixed set, which stays owned by the caller.
     *
     * @param data inputs
     * @param labels labels
     * @return this builder
     */
    public Builder optFixedProbe(NDList data, NDList labels) {
      this.fixedProbeData = Objects.requireNonNull(data, "probe data");
      this.fixedProbeLabels = Objects.requireNonNull(labels, "probe labels");
      this.probeBatch = ProbeBatch.FIXED;
      return this;
    }

    /**
     * Re-seeds DJL's engine with {@code seed + epoch} at each epoch start.
     *
     * @param value the seed
     * @return this builder
     */
    public Builder optSeed(int value) {
      this.seed = value;
      return this;
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder addListener(HiDlrListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Saves a checkpoint into this folder after every epoch. A save replaces the whole folder,
     * so it must be new, empty or a checkpoint; {@code fit} refuses another before it trains.
     *
     * @param dir the checkpoint's own folder, created if missing
     * @return this builder
     */
    public Builder optCheckpointDir(Path dir) {
      this.checkpointDir = Objects.requireNonNull(dir, "checkpoint dir");
      return this;
    }

    /**
     * Builds the loop.
     *
     * @return the loop
     */
    public HiDlrFit build() {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs is required: call setEpochs(n)");
      }
      if (startEpoch >= epochs) {
        throw new IllegalArgumentException("start epoch " + startEpoch
            + " is not below the number of epochs " + epochs + ": nothing to train");
      }
      return new HiDlrFit(this);
    }
  }
}
