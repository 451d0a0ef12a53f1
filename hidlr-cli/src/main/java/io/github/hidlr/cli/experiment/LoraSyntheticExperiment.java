package io.github.hidlr.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.Plots;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.training.Comparison;
import io.github.hidlr.cli.training.Method;
import io.github.hidlr.cli.training.MethodResult;
import io.github.hidlr.cli.training.MethodTrainer;
import io.github.hidlr.cli.training.Methods;
import io.github.hidlr.cli.training.Task;
import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.Tensors;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.lora.LoRALinear;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import io.github.hidlr.djl.train.HalfSquaredErrorLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Figure 1 (left) of the Hi-DLR paper, after LoRA+: a teacher {@code y = x (W0 + B* A*)ᵀ} and
 * a student {@code W0 + B A} with {@code W0} frozen; plain SGD with the best rate of a grid,
 * LoRA+ ({@code η_B = 16 η_A}, {@code η_A} grid-tuned), Hi-ULR and Hi-DLR with groups
 * {@code A} and {@code B} (also with a linear horizon). Plots the loss and the {@code B/A} rate
 * ratio Hi-DLR settles on.
 */
public final class LoraSyntheticExperiment implements Experiment {

  private static final int IN = 32;
  private static final int OUT = 32;
  private static final int RANK = 4;

  @Override
  public String name() {
    return "lora-synthetic";
  }

  @Override
  public String description() {
    return "Figure 1 (left): LoRA on a synthetic low-rank regression, groups A and B; uniform"
        + " rate (grid), LoRA+ (λ = 16), Hi-ULR, Hi-DLR";
  }

  @Override
  public ExperimentSummary run(ExperimentContext context) {
    int steps = context.profile().pick(30, 300, 1000);
    int n = context.profile().pick(256, 1024, 4096);
    long seed = context.seed();
    Task task = task(seed, n);
    DoubleFunction<NdOptimizer.Builder<?, ?>> sgd =
        rate -> Optimizers.sgd().setLearningRate((float) rate);
    Function<Block, ParameterGroups> ab = block -> ParameterGroups.builder()
        .add(GroupSpec.pattern("A", ".*" + LoRALinear.LORA_A))
        .add(GroupSpec.pattern("B", ".*" + LoRALinear.LORA_B)).build();
    double[] grid = context.profile().pick(0, 1, 2) == 0 ? new double[] {1e-2, 1e-1}
        : new double[] {1e-2, 3e-2, 1e-1, 3e-1, 1};
    double[] loraPlusGrid = context.profile().pick(0, 1, 2) == 0 ? new double[] {1e-3}
        : new double[] {1e-3, 3e-3, 1e-2, 3e-2};

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", context.profile().label());
    config.put("seed", seed);
    config.put("model", Map.of("in", IN, "out", OUT, "rank", RANK, "alpha", RANK,
        "teacher_rank", RANK));
    config.put("train_examples", n);
    config.put("steps", steps);
    config.put("batch_size", 64);
    config.put("base_optimizer", "sgd");
    config.put("ulr_grid", grid);
    config.put("lora_plus_eta_a_grid", loraPlusGrid);
    config.put("lora_plus_lambda", 16);
    List<Method> hiDlrs = Methods.policies(context.policies(), sgd, 1e-2, 1, ab, steps);
    config.put("hi_dlr", hiDlrs.get(0).tuner().toMap());
    context.output().json("config.json", config);

    Comparison comparison = new Comparison(context, new MethodTrainer(seed, steps, 64));
    List<MethodResult> results = new ArrayList<>();
    results.add(comparison.bestOf(task, "ulr-best", Methods.ulr(sgd), grid, steps));
    results.add(comparison.bestOf(task, "lora-plus", etaA -> {
      Map<String, Double> rates = new LinkedHashMap<>();
      rates.put("A", etaA);
      rates.put("B", 16 * etaA);
      return Methods.fixedRates(String.format(Locale.ROOT, "lora+ ηA %.3g", etaA), sgd, rates, ab);
    }, loraPlusGrid, steps));
    results.add(comparison.train(task, Methods.hiUlr(sgd, 1e-2, 1), steps));
    for (Method method : hiDlrs) {
      results.add(comparison.train(task, method, steps));
    }
    results.add(comparison.train(task, Methods.hiDlr("hi-dlr-linear", sgd,
        TunerConfig.hiDlr().setInitialRate(1e-2).optProbeEvery(1)
            .optHorizon(Horizon.LINEAR, steps).build(), ab), steps));
    List<ResultRow> rows = comparison.write(task, results);

    MethodResult tuned = results.get(3);
    double[] ratio = new double[steps];
    double[] x = new double[steps];
    for (int t = 0; t < steps; t++) {
      x[t] = t + 1;
      ratio[t] = tuned.rates().get(t)[1] / tuned.rates().get(t)[0];
    }
    Plots.lines(context.output(), "lora-synthetic-ratio.png", "Hi-DLR: η_B / η_A",
        "step", "η_B / η_A", true, List.of(new Plots.Line("hi-dlr", x, ratio),
            new Plots.Line("lora+ (λ = 16)", new double[] {1, steps}, new double[] {16, 16})));
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "Hi-DLR's rate ratio η_B/η_A at the end: %.3g"
        + " (LoRA+ fixes it at 16).", ratio[steps - 1]));
    notes.add(Comparison.budgetNote(task, results));
    ExperimentSummary summary = new ExperimentSummary(name(), context.profile().label(), rows,
        notes, context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  /** The teacher, the data and the student, all from the seed. */
  private static Task task(long seed, int n) {
    Random random = new Random(seed);
    float[][] w0 = gaussian(random, OUT, IN, 1 / Math.sqrt(IN));
    float[][] bStar = gaussian(random, OUT, RANK, 1 / Math.sqrt(RANK));
    float[][] aStar = gaussian(random, RANK, IN, 1 / Math.sqrt(IN));
    float[][] teacher = new float[OUT][IN];
    for (int i = 0; i < OUT; i++) {
      for (int j = 0; j < IN; j++) {
        double v = w0[i][j];
        for (int r = 0; r < RANK; r++) {
          v += bStar[i][r] * aStar[r][j];
        }
        teacher[i][j] = (float) v;
      }
    }
    float[][] trainX = gaussian(random, n, IN, 1);
    float[][] testX = gaussian(random, 1024, IN, 1);
    return new Task("lora-synthetic",
        manager -> LoRALinear.builder().setUnits(OUT).setRank(RANK).optAlpha(RANK).optBias(false)
            .build(),
        new Shape(1, IN),
        block -> Tensors.assign(block.getParameters().get(LoRALinear.WEIGHT).getArray(),
            block.getParameters().get(LoRALinear.WEIGHT).getArray().getManager().create(w0)),
        manager -> {
          NDArray t = manager.create(teacher);
          NDArray xTrain = manager.create(trainX);
          NDArray xTest = manager.create(testX);
          return new Task.Data(xTrain, xTrain.matMul(t.transpose()), xTest,
              xTest.matMul(t.transpose()));
        },
        HalfSquaredErrorLoss::new, Task.Kind.REGRESSION);
  }

  private static float[][] gaussian(Random random, int rows, int cols, double scale) {
    float[][] out = new float[rows][cols];
    for (float[] row : out) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (scale * random.nextGaussian());
      }
    }
    return out;
  }

}
