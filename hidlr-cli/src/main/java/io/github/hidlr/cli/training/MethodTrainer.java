package io.github.hidlr.cli.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.hidlr.djl.HiDlr;
import io.github.hidlr.djl.HiDlrOptimizer;
import io.github.hidlr.djl.NonFiniteUpdateException;
import io.github.hidlr.djl.baseline.EffectiveRate;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Trains one {@link Method} on one {@link Task} for a fixed number of mini-batch steps, with
 * the seed fixing the model's initialisation, the data and the batch order, so every method
 * of an experiment sees the same run. With Hi-DLR, the probe batch is the next training batch
 * (as the reference implementation does), or a batch of a held-out part of the training data
 * that the tuned run then never trains on ({@link ProbeSource}). A tuned method trains through
 * the library's own {@link HiDlrOptimizer} and {@code trainer.step()}, as an application does.
 */
public final class MethodTrainer {

  /** Examples per forward pass when a checkpoint scores the model. */
  static final long EVAL_CHUNK = 256;

  private final long seed;
  private final int steps;
  private final int batchSize;

  /**
   * A trainer.
   *
   * @param seed the seed of the model, the data and the batch order
   * @param steps the budget in steps
   * @param batchSize the mini-batch size
   */
  public MethodTrainer(long seed, int steps, int batchSize) {
    if (steps < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "steps " + steps + " and batch size " + batchSize + " must be ≥ 1");
    }
    this.seed = seed;
    this.steps = steps;
    this.batchSize = batchSize;
  }

  /**
   * Trains and evaluates.
   *
   * @param task the task
   * @param method the method
   * @param onStep called after each step with its index, for progress bars
   * @return the result
   */
  public MethodResult train(Task task, Method method, LongConsumer onStep) {
    return train(task, method, onStep, null);
  }

  /**
   * Trains, evaluates, and lets the caller look at the trained model before it is closed.
   *
   * @param task the task
   * @param method the method
   * @param onStep called after each step with its index, for progress bars
   * @param inspect called with the trained block and a manager, or {@code null}
   * @return the result
   */
  public MethodResult train(Task task, Method method, LongConsumer onStep,
      BiConsumer<Block, NDManager> inspect) {
    Engine.getInstance().setRandomSeed((int) seed);
    long begin = System.nanoTime();
    try (Model model = Model.newInstance(task.name())) {
      model.setBlock(task.model().apply(model.getNDManager()));
      NdOptimizer base = method.optimizer().apply(model.getBlock());
      // The loop gives every step its probe batch (the next training batch, or a held-out one).
      HiDlrOptimizer hidlr = method.tuned() ? HiDlr.on(base).groups(method.groups()
          .apply(model.getBlock())).tuner(method.tuner()).probesPerStep()
          .build(model, task.loss().get()) : null;
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(task.loss().get())
          .optOptimizer(method.tuned() ? hidlr : base))) {
        trainer.initialize(task.inputShape());
        if (task.prepare() != null) {
          task.prepare().accept(model.getBlock());
        }
        NDManager manager = model.getNDManager().newSubManager();
        Task.Data data = task.data().apply(manager);
        // Resolves the groups now, before the first step, freezing what they leave out.
        List<String> groupNames = hidlr == null ? List.of("all") : hidlr.groupNames();
        double[] trainLoss = new double[steps];
        List<double[]> rates = new ArrayList<>(steps);
        List<MethodResult.Checkpoint> checkpoints = new ArrayList<>();
        long[] marks = {Math.max(1, steps / 10), Math.max(1, (3 * steps) / 10), steps};
        Random order = new Random(seed * 31 + 7);
        int[][] split = split(data.trainSize(),
            method.tuned() && method.probes() == ProbeSource.HELD_OUT);
        int[] pool = split[0];
        int[] heldOut = split[1];
        Random probeOrder = new Random(seed * 131 + 11);
        int[] next = sample(order, pool);
        long divergedAt = -1;
        for (int t = 0; t < steps; t++) {
          int[] current = next;
          next = sample(order, pool);
          int[] probe = heldOut.length == 0 ? next : probeBatch(probeOrder, heldOut);
          boolean finite;
          try (NDManager step = manager.newSubManager()) {
            finite = step(trainer, hidlr, base, data, step, current, probe, t, trainLoss, rates);
          } catch (NonFiniteUpdateException e) {
            finite = false;
          }
          if (!finite) {
            // The refused step left the weights at the last finite step: record and stop.
            divergedAt = t;
            for (int rest = t; rest < steps; rest++) {
              trainLoss[rest] = Double.NaN;
            }
            while (rates.size() < steps) {
              rates.add(rates.isEmpty() ? new double[groupNames.size()]
                  : rates.get(rates.size() - 1));
            }
            MethodResult.Checkpoint atDivergence = evaluate(trainer, task, data, t, t / (double) steps);
            for (long mark : marks) {
              if (mark > t && (checkpoints.isEmpty()
                  || checkpoints.get(checkpoints.size() - 1).step() != mark)) {
                checkpoints.add(new MethodResult.Checkpoint(mark, mark / (double) steps,
                    atDivergence.trainLoss(), atDivergence.testLoss(),
                    atDivergence.testAccuracy()));
              }
            }
            break;
          }
          for (int m = 0; m < marks.length; m++) {
            if (t + 1 == marks[m] && (m == 0 || marks[m] != marks[m - 1])) {
              checkpoints.add(evaluate(trainer, task, data, t + 1, (t + 1) / (double) steps));
            }
          }
          onStep.accept(t);
        }
        MethodResult.Checkpoint last = checkpoints.get(checkpoints.size() - 1);
        if (divergedAt < 0 && (!Double.isFinite(last.testLoss())
            || !(last.trainLoss() <= 2 * trainLoss[0]))) {
          divergedAt = steps;
        }
        if (inspect != null) {
          inspect.accept(model.getBlock(), manager);
        }
        manager.close();
        return new MethodResult(method.name(), trainLoss, rates, groupNames, checkpoints,
            (System.nanoTime() - begin) / 1e9, steps, divergedAt);
      }
    }
  }

  /** One training step; false when its loss was not finite (nothing was stepped then). */
  private static boolean step(Trainer trainer, HiDlrOptimizer hidlr, NdOptimizer base,
      Task.Data data, NDManager step, int[] current, int[] probe, int t, double[] trainLoss,
      List<double[]> rates) {
    NDList[] batch = batch(data, step, current);
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDArray loss = trainer.getLoss().evaluate(batch[1], trainer.forward(batch[0]));
      trainLoss[t] = loss.getFloat();
      if (!Double.isFinite(trainLoss[t])) {
        return false;
      }
      collector.backward(loss);
    }
    if (hidlr != null) {
      NDList[] probeBatch = batch(data, step, probe);
      hidlr.probeOn(probeBatch[0], probeBatch[1]);
    }
    trainer.step();
    if (hidlr == null) {
      rates.add(new double[] {base instanceof EffectiveRate adaptive
          ? adaptive.effectiveLearningRate() : base.learningRate()});
    } else {
      rates.add(hidlr.lastStep().orElseThrow().rates());
    }
    return true;
  }

  /** The training examples {@code indices}, {@code {inputs, labels}}, in the step's manager. */
  private static NDList[] batch(Task.Data data, NDManager step, int[] indices) {
    NDArray idx = step.create(indices);
    NDList x = new NDList(data.trainX().get(idx));
    NDList y = new NDList(data.trainY().get(idx));
    x.attach(step);
    y.attach(step);
    return new NDList[] {x, y};
  }

  /** A batch drawn with replacement from the pool of training indices. */
  private int[] sample(Random random, int[] pool) {
    int[] idx = new int[Math.min(batchSize, pool.length)];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = pool[random.nextInt(pool.length)];
    }
    return idx;
  }

  /** A probe batch from the held-out indices: all of them when they fit in one batch. */
  private int[] probeBatch(Random random, int[] heldOut) {
    return heldOut.length <= batchSize ? heldOut : sample(random, heldOut);
  }

  /**
   * The indices the run trains on and those held out for probing (none unless asked): a
   * seeded shuffle, the first {@link ProbeSource#HELD_OUT_FRACTION} held out.
   */
  private int[][] split(long size, boolean holdOut) {
    int n = Math.toIntExact(size);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    if (!holdOut) {
      return new int[][] {all, new int[0]};
    }
    if (n < 2) {
      throw new IllegalArgumentException("held-out probes need at least 2 training examples, the"
          + " task has " + n + "; probe on the next training batch instead");
    }
    Random shuffle = new Random(seed * 17 + 3);
    for (int i = n - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int swap = all[i];
      all[i] = all[j];
      all[j] = swap;
    }
    int held = (int) Math.max(1, Math.min(n - 1, Math.round(ProbeSource.HELD_OUT_FRACTION * n)));
    return new int[][] {Arrays.copyOfRange(all, held, n),
        Arrays.copyOfRange(all, 0, held)};
  }

  /**
   * The model's outputs on {@code x}, computed {@value #EVAL_CHUNK} examples at a time and
   * joined. The scores are then computed on the joined outputs exactly as on one pass; only
   * the intermediate activations stay small. One pass over a whole evaluation set allocates
   * activations of hundreds of MiB (MiniLM's feed-forward layer on 1,000 reviews: 200 MiB),
   * which the allocator maps fresh from the kernel, page by page, on every checkpoint.
   */
  static NDArray predict(Trainer trainer, NDArray x) {
    long n = x.getShape().get(0);
    if (n <= EVAL_CHUNK) {
      return trainer.evaluate(new NDList(x)).singletonOrThrow();
    }
    NDList parts = new NDList();
    for (long from = 0; from < n; from += EVAL_CHUNK) {
      NDArray chunk = x.get(from + ":" + Math.min(n, from + EVAL_CHUNK));
      parts.add(trainer.evaluate(new NDList(chunk)).singletonOrThrow());
    }
    return NDArrays.concat(parts);
  }

  private static MethodResult.Checkpoint evaluate(
      Trainer trainer, Task task, Task.Data data, long step, double fraction) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      double train = trainer.getLoss().evaluate(new NDList(data.trainLossY()),
          new NDList(predict(trainer, data.trainLossX()))).getFloat();
      NDArray prediction = predict(trainer, data.testX());
      double test = trainer.getLoss().evaluate(new NDList(data.testY()),
          new NDList(prediction)).getFloat();
      double accuracy = switch (task.kind()) {
        case REGRESSION -> Double.NaN;
        case MULTICLASS -> prediction.argMax(1).toType(DataType.FLOAT32, false)
            .eq(data.testY().toType(DataType.FLOAT32, false).reshape(-1))
            .toType(DataType.FLOAT32, false).mean().getFloat();
        case MULTILABEL -> prediction.gt(0).toType(DataType.FLOAT32, false)
            .eq(data.testY().toType(DataType.FLOAT32, false))
            .toType(DataType.FLOAT32, false).mean().getFloat();
      };
      return new MethodResult.Checkpoint(step, fraction, train, test, accuracy);
    }
  }
}
