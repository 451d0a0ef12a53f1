package io.github.hidlr.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.hidlr.cli.data.DataCache;
import io.github.hidlr.cli.data.Datasets;
import io.github.hidlr.cli.data.Table;
import io.github.hidlr.cli.model.NeuralAdditiveModel;
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
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Figure 5 of the Hi-DLR paper: a neural additive model with one feature net per feature plus
 * a bias, on synthetic additive data (three true shape functions among noise features) with
 * SGD. A list of manual uniform rates (the best reported as {@code ulr-best}), Hi-ULR, and
 * Hi-DLR with one group per feature net plus the bias; plots the learned shape functions.
 */
public final class NamExperiment implements Experiment {

  private static final int FEATURES = 6;
  private static final DoubleUnaryOperator[] TRUTH = {
    x -> Math.sin(2 * x), x -> 0.5 * x * x - 0.5, x -> 0.8 * x, x -> 0, x -> 0, x -> 0};

  @Override
  public String name() {
    return "nam";
  }

  @Override
  public String description() {
    return "Figure 5: neural additive model on synthetic additive data (SGD) and on the Boston"
        + " and diabetes tables (Adam); manual rates, Hi-ULR, Hi-DLR (one group per feature net"
        + " plus the bias)";
  }

  @Override
  public ExperimentSummary run(ExperimentContext context) {
    int steps = context.profile().pick(20, 300, 1000);
    long seed = context.seed();
    Task task = task(seed, context.profile().pick(256, 2000, 4000));
    DoubleFunction<NdOptimizer.Builder<?, ?>> sgd =
        rate -> Optimizers.sgd().setLearningRate((float) rate);
    Function<Block, ParameterGroups> perFeature = perFeature(FEATURES);
    double[] manual = context.profile() == io.github.hidlr.cli.Profile.TINY
        ? new double[] {1e-2, 1e-1} : new double[] {3e-3, 1e-2, 3e-2, 1e-1, 3e-1};
    List<Method> hiDlrs = Methods.policies(context.policies(), sgd, 1e-2, 2, perFeature, steps);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", context.profile().label());
    config.put("seed", seed);
    config.put("model", Map.of("features", FEATURES, "hidden", 32));
    config.put("truth", "y = sin(2 x0) + (x0.5 x1² − 0.5) + 0.8 x2 + noise 0.1; x3..x5 unused");
    config.put("steps", steps);
    config.put("batch_size", 64);
    config.put("base_optimizer", "sgd");
    config.put("manual_rates", manual);
    config.put("hi_dlr", hiDlrs.get(0).tuner().toMap());
    context.output().json("config.json", config);

    Comparison comparison = new Comparison(context, new MethodTrainer(seed, steps, 64));
    List<MethodResult> results = new ArrayList<>();
    // every method's learned shapes, by the method's name in the table
    Map<String, List<Plots.Line>> shapes = new LinkedHashMap<>();
    Map<String, List<Plots.Line>> gridShapes = new LinkedHashMap<>();
    MethodResult best = comparison.bestOf(task, "ulr-best", Methods.ulr(sgd), manual, steps,
        name -> (block, manager) -> gridShapes.put(name,
            shapeLines((NeuralAdditiveModel) block, manager, "ulr-best")));
    results.add(best);
    shapes.put("ulr-best", gridShapes.get(best.method().replaceAll("^ulr-best \\((.*)\\)$", "$1")));
    List<Method> shaped = new ArrayList<>(List.of(Methods.hiUlr(sgd, 1e-2, 2)));
    shaped.addAll(hiDlrs);
    for (Method method : shaped) {
      results.add(comparison.train(task, method, steps, (block, manager) ->
          shapes.put(method.name(), shapeLines((NeuralAdditiveModel) block, manager,
              method.name()))));
    }
    List<ResultRow> rows = new ArrayList<>(comparison.write(task, results));
    List<Plots.Panel> panels = new ArrayList<>();
    for (int j = 0; j < FEATURES; j++) {
      List<Plots.Line> lines = new ArrayList<>(List.of(truthLine(j)));
      for (List<Plots.Line> perMethod : shapes.values()) {
        if (perMethod != null) {
          lines.add(perMethod.get(j));
        }
      }
      panels.add(new Plots.Panel("f" + j + (j < 3 ? "" : " (no signal)"), lines));
    }
    Plots.panels(context.output(), "nam-shapes.png", "nam-synthetic: learned shape functions"
        + " (black: the truth), centred", "x_j", "f_j(x_j)", panels);
    List<String> notes = new ArrayList<>(List.of(Comparison.budgetNote(task, results),
        "Features x3, x4, x5 carry no signal: their learned shapes should stay flat.",
        "The paper's California Housing table cannot be obtained offline (no registry ships"
            + " it); the Boston and diabetes tables stand in for it."));
    if (context.profile() != io.github.hidlr.cli.Profile.TINY) {
      DoubleFunction<NdOptimizer.Builder<?, ?>> adam =
          rate -> Optimizers.adam().setLearningRate((float) rate);
      for (String table : List.of("boston", "diabetes")) {
        Table data = table.equals("boston") ? Datasets.boston(DataCache.fromEnvironment())
            : Datasets.diabetes(DataCache.fromEnvironment());
        Task real = realTask(table, data, seed);
        Function<Block, ParameterGroups> groups = perFeature(data.features());
        List<MethodResult> realResults = new ArrayList<>();
        realResults.add(comparison.bestOf(real, "ulr-best", Methods.ulr(adam),
            new double[] {1e-3, 3e-3, 1e-2, 3e-2}, steps));
        realResults.add(comparison.train(real, Methods.hiUlr(adam, 1e-3, 2), steps));
        for (Method method : Methods.policies(context.policies(), adam, 1e-3, 2, groups, steps)) {
          realResults.add(comparison.train(real, method, steps));
        }
        rows.addAll(comparison.write(real, realResults));
        notes.add(Comparison.budgetNote(real, realResults) + " (standardised target, Adam)");
      }
    } else {
      notes.add("The tiny profile skips the Boston and diabetes tables (no download in tests).");
    }
    ExperimentSummary summary = new ExperimentSummary(name(), context.profile().label(), rows,
        notes, context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  /** One group per feature net plus one for the bias. */
  private static Function<Block, ParameterGroups> perFeature(int features) {
    return block -> {
      ParameterGroups.Builder groups = ParameterGroups.builder();
      for (int j = 0; j < features; j++) {
        groups.add(GroupSpec.pattern("f" + j, NeuralAdditiveModel.featurePattern(j)));
      }
      return groups.add(GroupSpec.pattern("bias", NeuralAdditiveModel.BIAS)).build();
    };
  }

  /** A table, standardised (features and target), split 80/20 by a seeded shuffle. */
  private static Task realTask(String name, Table table, long seed) {
    int n = table.rows();
    int d = table.features();
    double[] mean = new double[d + 1];
    double[] sd = new double[d + 1];
    for (int j = 0; j <= d; j++) {
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double v = j < d ? table.value(i, j) : table.target(i);
        sum += v;
        sq += v * v;
      }
      mean[j] = sum / n;
      sd[j] = Math.sqrt(Math.max(sq / n - mean[j] * mean[j], 1e-12));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new Random(seed));
    int trainSize = (int) Math.round(0.8 * n);
    float[][] x = new float[n][d];
    float[] y = new float[n];
    for (int r = 0; r < n; r++) {
      int i = order.get(r);
      for (int j = 0; j < d; j++) {
        x[r][j] = (float) ((table.value(i, j) - mean[j]) / sd[j]);
      }
      y[r] = (float) ((table.target(i) - mean[d]) / sd[d]);
    }
    float[][] trainX = java.util.Arrays.copyOf(x, trainSize);
    float[][] testX = java.util.Arrays.copyOfRange(x, trainSize, n);
    float[] trainY = java.util.Arrays.copyOf(y, trainSize);
    float[] testY = java.util.Arrays.copyOfRange(y, trainSize, n);
    return new Task("nam-" + name, m -> new NeuralAdditiveModel(d, 32), new Shape(1, d), null,
        manager -> new Task.Data(manager.create(trainX), manager.create(trainY).reshape(-1, 1),
            manager.create(testX), manager.create(testY).reshape(-1, 1)),
        HalfSquaredErrorLoss::new, Task.Kind.REGRESSION);
  }

  /** The learned shape of every feature, centred, as lines named {@code "<method> f<j>"}. */
  private static List<Plots.Line> shapeLines(NeuralAdditiveModel nam, NDManager manager,
      String method) {
    double[] xs = shapeGrid();
    float[] grid = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      grid[i] = (float) xs[i];
    }
    List<Plots.Line> lines = new ArrayList<>();
    try (NDManager scope = manager.newSubManager()) {
      ParameterStore store = new ParameterStore(scope, false);
      NDArray values = scope.create(grid).reshape(xs.length, 1);
      for (int j = 0; j < nam.featureCount(); j++) {
        float[] f = nam.shape(store, j, values).toFloatArray();
        double[] y = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          y[i] = f[i];
        }
        lines.add(new Plots.Line(method + " f" + j, xs, centred(y)));
      }
    }
    return lines;
  }

  /** The true shape of feature {@code j}, centred (flat for the features without signal). */
  private static Plots.Line truthLine(int j) {
    double[] xs = shapeGrid();
    double[] truth = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      truth[i] = TRUTH[j].applyAsDouble(xs[i]);
    }
    return new Plots.Line(Plots.TRUTH + " f" + j, xs, centred(truth));
  }

  private static double[] shapeGrid() {
    int points = 61;
    double[] xs = new double[points];
    for (int i = 0; i < points; i++) {
      xs[i] = -3 + 6.0 * i / (points - 1);
    }
    return xs;
  }

  private static double[] centred(double[] y) {
    double mean = 0;
    for (double v : y) {
      mean += v / y.length;
    }
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i] - mean;
    }
    return out;
  }

  private static Task task(long seed, int trainSize) {
    Random random = new Random(seed);
    int total = trainSize + 1000;
    float[][] x = new float[total][FEATURES];
    float[] y = new float[total];
    for (int i = 0; i < total; i++) {
      double target = 0;
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (float) (2 * random.nextDouble() - 1) * 2;
        target += TRUTH[j].applyAsDouble(x[i][j]);
      }
      y[i] = (float) (target + 0.1 * random.nextGaussian());
    }
    float[][] trainX = java.util.Arrays.copyOf(x, trainSize);
    float[][] testX = java.util.Arrays.copyOfRange(x, trainSize, total);
    float[] trainY = java.util.Arrays.copyOf(y, trainSize);
    float[] testY = java.util.Arrays.copyOfRange(y, trainSize, total);
    return new Task("nam-synthetic", m -> new NeuralAdditiveModel(FEATURES, 32),
        new Shape(1, FEATURES), null,
        manager -> new Task.Data(manager.create(trainX), manager.create(trainY).reshape(-1, 1),
            manager.create(testX), manager.create(testY).reshape(-1, 1)),
        HalfSquaredErrorLoss::new, Task.Kind.REGRESSION);
  }
}
