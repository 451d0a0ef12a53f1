package io.github.hidlr.cli.experiment;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.loss.Loss;
import io.github.hidlr.cli.Profile;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.training.Comparison;
import io.github.hidlr.cli.training.Method;
import io.github.hidlr.cli.training.MethodResult;
import io.github.hidlr.cli.training.MethodTrainer;
import io.github.hidlr.cli.training.Methods;
import io.github.hidlr.cli.training.Policy;
import java.util.Locale;
import io.github.hidlr.cli.training.Pretraining;
import io.github.hidlr.cli.training.Task;
import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.djl.baseline.Baselines;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.group.ParameterKind;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Table 2 analogue of the Hi-DLR paper: a small CNN pretrained on one image dataset and fully
 * fine-tuned on another with AdamW; Hi-DLR with two groups (head and biases vs the rest)
 * against constant, linear-decay and cosine-decay rates, Prodigy, D-Adaptation (Adam) and
 * Hi-ULR (GeN), plus Hi-DLR with the
 * cosine horizon to match the decaying baselines. Pretraining on MNIST, fine-tuning on
 * Fashion-MNIST; the {@code full} profile also does the reverse.
 */
public final class ImageClassificationExperiment implements Experiment {

  /** The CNN's classifier, the last child of the block. */
  static final String HEAD = "08Linear_";

  @Override
  public String name() {
    return "image-cls";
  }

  /** {@inheritDoc} 94 s in a quick reproduce with {@code --jobs 2}. */
  @Override
  public double quickSeconds() {
    return 94;
  }

  @Override
  public String description() {
    return "Table 2 analogue: a CNN pretrained on MNIST, fine-tuned on Fashion-MNIST with AdamW;"
        + " Hi-DLR (head+bias vs rest) vs constant, linear, cosine, Prodigy, D-Adaptation, Hi-ULR";
  }

  @Override
  public ExperimentSummary run(ExperimentContext context) {
    Profile profile = context.profile();
    int train = profile.pick(256, 6000, 20000);
    int test = profile.pick(128, 2000, 10000);
    int pretrainSteps = profile.pick(10, 200, 600);
    int steps = profile.pick(12, 250, 1000);
    long seed = context.seed();
    double rate = 1e-3;
    DoubleFunction<NdOptimizer.Builder<?, ?>> adamW =
        r -> Optimizers.adamW().setLearningRate((float) r);
    Function<Block, ParameterGroups> headBias = block -> ParameterGroups.builder()
        .add(GroupSpec.predicate("head+bias", "the classifier and every bias",
            (name, p) -> name.startsWith(HEAD) || ParameterKind.of(p) == ParameterKind.BIAS))
        .optRest(ParameterGroups.Rest.GROUP).build();

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", profile.label());
    config.put("seed", seed);
    config.put("model", "conv 8@3x3, relu, maxpool 2, conv 16@3x3, relu, maxpool 2, linear 10");
    config.put("train_images", train);
    config.put("test_images", test);
    config.put("pretrain_steps", pretrainSteps);
    config.put("finetune_steps", steps);
    config.put("batch_size", 64);
    config.put("base_optimizer", "adamw");
    config.put("rate", rate);
    List<Method> hiDlrs = Methods.policies(context.policies(), adamW, rate, 4, headBias, steps);
    double[] peaks = profile == Profile.TINY ? new double[] {rate}
        : new double[] {3e-4, 1e-3, 3e-3, 1e-2};
    config.put("peak_rate_grid", peaks);
    config.put("hi_dlr", hiDlrs.get(0).tuner().toMap());
    context.output().json("config.json", config);

    List<boolean[]> directions = profile == Profile.FULL
        ? List.of(new boolean[] {false, true}, new boolean[] {true, false})
        : List.<boolean[]>of(new boolean[] {false, true});
    List<ResultRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (boolean[] direction : directions) {
      ImageData source = ImageData.load(profile, direction[0], train, test, seed);
      ImageData target = ImageData.load(profile, direction[1], train, test, seed);
      Comparison comparison = new Comparison(context, new MethodTrainer(seed, steps, 64));
      byte[] pretrained = Pretraining.parameters(context,
          task("pretrain-" + source.name(), source, null), pretrainSteps, seed);
      Task task = task(source.name() + "-to-" + target.name(), target, pretrained);
      List<MethodResult> results = new ArrayList<>();
      results.add(comparison.bestOf(task, "constant", Methods.ulr(adamW), peaks, steps));
      results.add(comparison.bestOf(task, "linear", peak -> Methods.schedule(
          String.format(Locale.ROOT, "linear %.3g", peak), adamW, peak, Horizon.LINEAR, steps),
          peaks, steps));
      results.add(comparison.bestOf(task, "cosine", peak -> Methods.schedule(
          String.format(Locale.ROOT, "cosine %.3g", peak), adamW, peak, Horizon.COSINE, steps),
          peaks, steps));
      results.add(comparison.train(task, Method.plain("prodigy",
          block -> Baselines.prodigy().setBlock(block).setLearningRate(1f).build()), steps));
      results.add(comparison.train(task, Method.plain("d-adaptation",
          block -> Baselines.dAdaptAdam().setBlock(block).setLearningRate(1f).build()), steps));
      results.add(comparison.train(task, Methods.hiUlr(adamW, rate, 4), steps));
      for (Method method : hiDlrs) {
        results.add(comparison.train(task, method, steps));
      }
      if (!hiDlrs.stream().anyMatch(m -> m.name().equals(Policy.DEFAULT_COSINE.name()))) {
        results.add(comparison.train(task, Methods.policies(List.of(Policy.DEFAULT_COSINE),
            adamW, rate, 4, headBias, steps).get(0), steps));
      }
      rows.addAll(comparison.write(task, results));
      notes.add(Comparison.budgetNote(task, results));
    }
    ExperimentSummary summary = new ExperimentSummary(name(), profile.label(), rows, notes,
        context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  /** The CNN, untrained. */
  static SequentialBlock cnn() {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2)))
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(10).build());
  }

  private static Task task(String name, ImageData data, byte[] pretrained) {
    Shape input = new Shape(1, 1, 28, 28);
    return new Task(name, manager -> pretrained == null ? cnn()
        : Pretraining.load(cnn(), manager, input, pretrained), input, null,
        manager -> data.tensors(manager, 1, 28, 28), Loss::softmaxCrossEntropyLoss,
        Task.Kind.MULTICLASS);
  }
}
