package io.github.hidlr.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.github.hidlr.cli.Profile;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.Plots;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.training.Comparison;
import io.github.hidlr.cli.training.Method;
import io.github.hidlr.cli.training.MethodResult;
import io.github.hidlr.cli.training.MethodTrainer;
import io.github.hidlr.cli.training.Methods;
import io.github.hidlr.cli.training.Task;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * The CelebA experiment of the Hi-DLR paper, in miniature: a feature extractor pretrained on
 * MNIST and then frozen; a linear head trained on the 10 one-vs-rest binary tasks of
 * Fashion-MNIST, one group per task (row of the head). Uniform rate (grid), Hi-ULR, Hi-DLR;
 * per-task test losses and rates.
 */
public final class MultitaskExperiment implements Experiment {

  private static final int TASKS = 10;
  private static final int FEATURES = 64;

  @Override
  public String name() {
    return "multitask";
  }

  @Override
  public String description() {
    return "CelebA analogue: frozen MNIST features, a head on 10 one-vs-rest Fashion-MNIST"
        + " tasks, one group per task; ULR (grid), Hi-ULR, Hi-DLR";
  }

  @Override
  public ExperimentSummary run(ExperimentContext context) {
    Profile profile = context.profile();
    int train = profile.pick(256, 8000, 30000);
    int test = profile.pick(128, 2000, 10000);
    int steps = profile.pick(12, 300, 1000);
    long seed = context.seed();
    ImageData mnist = ImageData.load(profile, false, train, test, seed);
    ImageData fashion = ImageData.load(profile, true, train, test, seed);
    float[][] features = features(context, mnist, fashion, profile.pick(10, 300, 600), seed);
    Task task = task(fashion, features);
    DoubleFunction<NdOptimizer.Builder<?, ?>> sgd =
        rate -> Optimizers.sgd().setLearningRate((float) rate);
    Function<Block, ParameterGroups> rows = block -> ParameterGroups.builder()
        .add(GroupSpec.rows("task", "weight")).build();
    double[] grid = profile == Profile.TINY ? new double[] {0.1, 1}
        : new double[] {0.03, 0.1, 0.3, 1, 3};
    List<Method> hiDlrs = Methods.policies(context.policies(), sgd, 0.1, 2, rows, steps);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", profile.label());
    config.put("seed", seed);
    config.put("backbone", "MLP 784-128-" + FEATURES + " (ReLU), pretrained on "
        + mnist.name() + ", frozen");
    config.put("head", "linear " + FEATURES + " -> " + TASKS + " (no bias), sigmoid BCE per task");
    config.put("tasks", "one-vs-rest on " + fashion.name());
    config.put("steps", steps);
    config.put("batch_size", 128);
    config.put("base_optimizer", "sgd");
    config.put("ulr_grid", grid);
    config.put("hi_dlr", hiDlrs.get(0).tuner().toMap());
    context.output().json("config.json", config);

    Comparison comparison = new Comparison(context, new MethodTrainer(seed, steps, 128));
    List<MethodResult> results = new ArrayList<>();
    List<Plots.Line> perTask = new ArrayList<>();
    results.add(comparison.bestOf(task, "ulr-best", Methods.ulr(sgd), grid, steps));
    results.add(comparison.train(task, Methods.hiUlr(sgd, 0.1, 2), steps,
        (block, manager) -> perTask.add(perTaskLoss("hi-ulr", block, manager, task))));
    for (Method method : hiDlrs) {
      results.add(comparison.train(task, method, steps, (block, manager) ->
          perTask.add(perTaskLoss(method.name(), block, manager, task))));
    }
    List<ResultRow> rows2 = comparison.write(task, results);
    Plots.lines(context.output(), "multitask-per-task.png", "test loss per task (one-vs-rest)",
        "task (class index)", "test BCE", false, perTask);
    List<String> notes = List.of(Comparison.budgetNote(task, results),
        "Accuracy is averaged over the 10 binary tasks (a constant 'no' scores 0.9).");
    ExperimentSummary summary = new ExperimentSummary(name(), profile.label(), rows2, notes,
        context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  /** Pretrains the backbone on MNIST and returns Fashion features {train, test}. */
  private static float[][] features(ExperimentContext context, ImageData mnist,
      ImageData fashion, int steps, long seed) {
    Task pretrain = new Task("pretrain-" + mnist.name(), manager -> new SequentialBlock()
        .add(Linear.builder().setUnits(128).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(FEATURES).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(10).build()),
        new Shape(1, ImageData.PIXELS), null, manager -> mnist.tensors(manager, ImageData.PIXELS),
        Loss::softmaxCrossEntropyLoss, Task.Kind.MULTICLASS);
    float[][] out = new float[2][];
    new Comparison(context, new MethodTrainer(seed, steps, 128)).train(pretrain,
        Method.plain("adam",
            Methods.at(rate -> Optimizers.adam().setLearningRate((float) rate), 1e-3)),
        steps,
        (block, manager) -> {
          SequentialBlock backbone = new SequentialBlock();
          List<Block> children = block.getChildren().values();
          for (int i = 0; i < 4; i++) {
            backbone.add(children.get(i));
          }
          ParameterStore store = new ParameterStore(manager, false);
          Task.Data data = fashion.tensors(manager, ImageData.PIXELS);
          out[0] = backbone.forward(store, new NDList(data.trainX()), false).head()
              .toFloatArray();
          out[1] = backbone.forward(store, new NDList(data.testX()), false).head()
              .toFloatArray();
        });
    return out;
  }

  private static Task task(ImageData fashion, float[][] features) {
    return new Task("fashion-one-vs-rest",
        manager -> Linear.builder().setUnits(TASKS).optBias(false).build(),
        new Shape(1, FEATURES), null,
        manager -> new Task.Data(
            manager.create(features[0], new Shape(fashion.trainCount(), FEATURES)),
            oneHot(manager, fashion.trainY()),
            manager.create(features[1], new Shape(fashion.testCount(), FEATURES)),
            oneHot(manager, fashion.testY())),
        () -> Loss.sigmoidBinaryCrossEntropyLoss(), Task.Kind.MULTILABEL);
  }

  private static NDArray oneHot(NDManager manager, int[] labels) {
    float[][] y = new float[labels.length][TASKS];
    for (int i = 0; i < labels.length; i++) {
      y[i][labels[i]] = 1;
    }
    return manager.create(y);
  }

  private static Plots.Line perTaskLoss(String method, Block block, NDManager manager,
      Task task) {
    Task.Data data = task.data().apply(manager);
    ParameterStore store = new ParameterStore(manager, false);
    NDArray logits = block.forward(store, new NDList(data.testX()), false).head();
    NDArray y = data.testY();
    // BCE with logits, per task: mean over examples of softplus(z) − y z
    NDArray loss = logits.exp().add(1).log().sub(y.mul(logits)).mean(new int[] {0});
    float[] values = loss.toFloatArray();
    double[] x = new double[TASKS];
    double[] v = new double[TASKS];
    for (int k = 0; k < TASKS; k++) {
      x[k] = k;
      v[k] = values[k];
    }
    return new Plots.Line(method, x, v);
  }
}
