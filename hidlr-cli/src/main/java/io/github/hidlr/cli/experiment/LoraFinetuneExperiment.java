package io.github.hidlr.cli.experiment;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.github.hidlr.cli.Profile;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.training.Comparison;
import io.github.hidlr.cli.training.Method;
import io.github.hidlr.cli.training.MethodResult;
import io.github.hidlr.cli.training.MethodTrainer;
import io.github.hidlr.cli.training.Methods;
import io.github.hidlr.cli.training.Pretraining;
import io.github.hidlr.cli.training.Task;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.lora.LoRA;
import io.github.hidlr.djl.lora.LoRAGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Table 1 analogue of the Hi-DLR paper on real data: an MLP pretrained on MNIST, then
 * LoRA-fine-tuned on Fashion-MNIST (rank 8 on the hidden layers, groups {@code A}, {@code B}
 * and the head) with Adam. Full fine-tuning, LoRA with the best uniform rate of a grid, LoRA+
 * ({@code η_B = 16 η_A}), Hi-ULR and Hi-DLR; test accuracy.
 */
public final class LoraFinetuneExperiment implements Experiment {

  private static final int RANK = 8;

  @Override
  public String name() {
    return "lora-finetune";
  }

  @Override
  public String description() {
    return "Table 1 analogue: MLP pretrained on MNIST, LoRA-fine-tuned on Fashion-MNIST (groups"
        + " A, B, head); full-ft, ULR, LoRA+, Hi-ULR, Hi-DLR";
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
    byte[] pretrained = Pretraining.parameters(context,
        task("pretrain-" + mnist.name(), mnist, null, false), profile.pick(10, 300, 600), seed);
    DoubleFunction<NdOptimizer.Builder<?, ?>> adam =
        rate -> Optimizers.adam().setLearningRate((float) rate);
    Task full = task("fashion-full-ft", fashion, pretrained, false);
    Task lora = task("fashion-lora", fashion, pretrained, true);
    Function<Block, ParameterGroups> abHead = block -> {
      LoRAGroups groups = LoRA.groups(block, "05Linear");
      return ParameterGroups.builder().add(GroupSpec.pattern("A", groups.aPattern()))
          .add(GroupSpec.pattern("B", groups.bPattern()))
          .add(GroupSpec.pattern("head", groups.headPattern())).build();
    };
    double[] grid = profile == Profile.TINY ? new double[] {1e-3}
        : new double[] {3e-4, 1e-3, 3e-3, 1e-2};
    List<Method> hiDlrs = Methods.policies(context.policies(), adam, 1e-3, 4, abHead, steps);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("experiment", name());
    config.put("profile", profile.label());
    config.put("seed", seed);
    config.put("model", "MLP 784-256-128-10 (ReLU), pretrained on " + mnist.name());
    config.put("lora", Map.of("rank", RANK, "alpha", RANK, "wrapped", "hidden layers"));
    config.put("target", fashion.name());
    config.put("steps", steps);
    config.put("batch_size", 64);
    config.put("base_optimizer", "adam");
    config.put("ulr_grid", grid);
    config.put("lora_plus_lambda", 16);
    config.put("hi_dlr", hiDlrs.get(0).tuner().toMap());
    context.output().json("config.json", config);

    Comparison comparison = new Comparison(context, new MethodTrainer(seed, steps, 64));
    List<MethodResult> results = new ArrayList<>();
    results.add(comparison.train(full, Method.plain("full-ft", Methods.at(adam, 1e-3)), steps));
    results.add(comparison.bestOf(lora, "ulr-best", Methods.ulr(adam), grid, steps));
    results.add(comparison.bestOf(lora, "lora-plus", etaA -> {
      Map<String, Double> rates = new LinkedHashMap<>();
      rates.put("A", etaA);
      rates.put("B", 16 * etaA);
      rates.put("head", 16 * etaA);
      return Methods.fixedRates(String.format(Locale.ROOT, "lora+ ηA %.3g", etaA), adam,
          rates, abHead);
    }, profile == Profile.TINY ? new double[] {1e-4} : new double[] {3e-5, 1e-4, 3e-4}, steps));
    results.add(comparison.train(lora, Methods.hiUlr(adam, 1e-3, 4), steps));
    for (Method method : hiDlrs) {
      results.add(comparison.train(lora, method, steps));
    }
    List<ResultRow> rows = new ArrayList<>(comparison.write(full, results.subList(0, 1)));
    rows.addAll(comparison.write(lora, results.subList(1, results.size())));
    List<String> notes = List.of(Comparison.budgetNote(lora, results),
        "LoRA+ uses η_B = η_head = 16 η_A with η_A from a small grid; full-ft trains every weight"
            + " at Adam 1e-3 and is the upper reference, not a PEFT method.");
    ExperimentSummary summary = new ExperimentSummary(name(), profile.label(), rows, notes,
        context.output().plots());
    context.output().json("summary.json", SummaryJson.of(summary, context.seed()));
    return summary;
  }

  private static SequentialBlock mlp() {
    return new SequentialBlock().add(Linear.builder().setUnits(256).build())
        .add(Activation::relu).add(Linear.builder().setUnits(128).build())
        .add(Activation::relu).add(Linear.builder().setUnits(10).build());
  }

  private static Task task(String name, ImageData data, byte[] pretrained, boolean lora) {
    Shape input = new Shape(1, ImageData.PIXELS);
    return new Task(name, manager -> {
      if (pretrained == null) {
        return mlp();
      }
      SequentialBlock net = Pretraining.load(mlp(), manager, input, pretrained);
      return lora ? LoRA.wrapAllButHead(net, RANK, RANK, manager).block() : net;
    }, input, null, manager -> data.tensors(manager, ImageData.PIXELS),
        Loss::softmaxCrossEntropyLoss, Task.Kind.MULTICLASS);
  }
}
