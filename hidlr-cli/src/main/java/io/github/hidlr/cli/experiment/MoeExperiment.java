package io.github.hidlr.cli.experiment;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.hidlr.cli.model.MixtureOfExperts;
import io.github.hidlr.cli.report.ExperimentSummary;
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
import java.util.Random;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Appendix B of the Hi-DLR paper: a mixture of experts (a 2-layer gate and 6 expert MLPs with
 * 64 hidden ReLU units) on 1000 training and 200 test points whose labels follow a non-linear
 * rule with 10% label noise; Adam with batch 128. Uniform rate 1e-3, the paper's manual DLR
 * (gate 1e-3, experts 5e-3), Hi-ULR, and Hi-DLR with groups gate and experts.
 */
public final class MoeExperiment implements Experiment {

  private static final int FEATURES = 8;
  private static final int EXPERTS = 6;
  /** Test points: enough that a 2-point accuracy gap is about 3 standard errors. */
  private static final int TEST_POINTS = 5000;

  @Override
  public String name() {
    return "moe";
  }

  @Override
  public String description() {
    return "Appendix B: mixture of experts (gate + 6 experts), Adam; ULR 1e-3, manual DLR"
        + " (gate 1e-3 / experts 5e-3), Hi-ULR, Hi-DLR (gate vs experts)";
  }

  @Override
  public ExperimentSummary run(ExperimentContext context) {
    int steps = context.profile().pick(16, 320, 800);
    long seed = context.seed();
    Task task = task(seed, context.profile().pick(256, 1000, 1000),
        context.profile().pick(200, TEST_POINTS, TEST_POINTS));
    DoubleFunction<NdOptimizer.Builder<?, ?>> adam =
        rate -> Optimizers.adam().setLearningRate((float) rate);
    Function<Block, ParameterGroups> groups = block -> ParameterGroups.builder()
        .add(GroupSpec.pattern("gate", MixtureOfExperts.GATE_PATTERN))
        .add(GroupSpec.pattern("experts", MixtureOfExperts.EXPERT_PATTERN)).build();
    Map<String, Double> manual = new LinkedHashMap<>();
    manual.put("gate", 1e-3);
    manual.put("experts", 5e-3);
    List<Method> hiDlrs = Methods.policies(context.policies(), adam, 1e-3, 4, groups, steps);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", context.profile().label());
    config.put("seed", seed);
    config.put("model", Map.of("features", FEATURES, "experts", EXPERTS, "hidden", 64,
        "classes", 2));
    config.put("label_noise", 0.1);
    config.put("steps", steps);
    config.put("batch_size", 128);
    config.put("base_optimizer", "adam");
    config.put("ulr", 1e-3);
    config.put("manual_dlr", manual);
    config.put("test_points", context.profile().pick(200, TEST_POINTS, TEST_POINTS));
    config.put("hi_dlr", hiDlrs.get(0).tuner().toMap());
    context.output().json("config.json", config);

    Comparison comparison = new Comparison(context, new MethodTrainer(seed, steps, 128));
    List<MethodResult> results = new ArrayList<>();
    results.add(comparison.train(task, Method.plain("ulr", Methods.at(adam, 1e-3)), steps));
    results.add(comparison.train(task, Methods.fixedRates("manual-dlr", adam, manual, groups),
        steps));
    results.add(comparison.train(task, Methods.hiUlr(adam, 1e-3, 4), steps));
    for (Method method : hiDlrs) {
      results.add(comparison.train(task, method, steps));
    }
    List<ResultRow> rows = comparison.write(task, results);
    List<String> notes = List.of(Comparison.budgetNote(task, results), "Trained on the paper's"
        + " 1,000 points; tested on " + context.profile().pick(200, TEST_POINTS, TEST_POINTS)
        + " points of the same generator (the paper's 200 give a standard error of ~0.03,"
        + " too large to tell methods apart).");
    ExperimentSummary summary = new ExperimentSummary(name(), context.profile().label(), rows,
        notes, context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  /**
   * Labels {@code 1[sin(2 x0 x1) + x2² − x3 + 0.5 |x4| > 0.6]}, 10% flipped.
   */
  private static Task task(long seed, int trainSize, int testSize) {
    Random random = new Random(seed);
    int total = trainSize + testSize;
    float[][] x = new float[total][FEATURES];
    float[] y = new float[total];
    for (int i = 0; i < total; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      double score = Math.sin(2 * x[i][0] * x[i][1]) + x[i][2] * x[i][2] - x[i][3]
          + 0.5 * Math.abs(x[i][4]);
      int label = score > 0.6 ? 1 : 0;
      y[i] = random.nextDouble() < 0.1 ? 1 - label : label;
    }
    float[][] trainX = java.util.Arrays.copyOf(x, trainSize);
    float[] trainY = java.util.Arrays.copyOf(y, trainSize);
    float[][] testX = java.util.Arrays.copyOfRange(x, trainSize, total);
    float[] testY = java.util.Arrays.copyOfRange(y, trainSize, total);
    return new Task("moe", m -> new MixtureOfExperts(EXPERTS, 64, 2), new Shape(1, FEATURES),
        null, manager -> new Task.Data(manager.create(trainX), manager.create(trainY),
            manager.create(testX), manager.create(testY)),
        Loss::softmaxCrossEntropyLoss, Task.Kind.MULTICLASS);
  }
}
