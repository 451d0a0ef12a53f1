package io.github.hidlr.cli.training;

import ai.djl.nn.Block;
import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/** The methods the experiments compare, built the same way everywhere. */
public final class Methods {

  private Methods() {}

  /**
   * The optimizer at a rate, built for the model's block: in a plain run it assembles whole
   * steps, so a non-finite gradient is refused before any weight moves. Under Hi-DLR, which
   * assembles the step itself, hidlr's per-parameter optimizers ignore it (the whole-step
   * baselines still assemble the step that Hi-DLR then differences).
   *
   * @param optimizer the optimizer's builder at a given rate
   * @param rate the rate
   * @return the factory {@link Method} takes
   */
  public static Function<Block, NdOptimizer> at(DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer,
      double rate) {
    return block -> optimizer.apply(rate).setBlock(block).build();
  }

  /**
   * A plain run of the base optimizer at a given rate, for {@link Comparison#bestOf}.
   *
   * @param optimizer the base optimizer at a given rate
   * @return the method at a rate, named {@code "ulr <rate>"}
   */
  public static DoubleFunction<Method> ulr(DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer) {
    return rate -> Method.plain(String.format(Locale.ROOT, "ulr %.3g", rate),
        at(optimizer, rate));
  }

  /**
   * Hi-ULR (GeN): one group holding every trainable parameter.
   *
   * @param optimizer the base optimizer at the reference rate {@code initialRate}
   * @param initialRate {@code η0}
   * @param probeEvery {@code Φ}
   * @return the method
   */
  public static Method hiUlr(
      DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer, double initialRate, int probeEvery) {
    return new Method("hi-ulr", at(optimizer, initialRate),
        TunerConfig.gen().setInitialRate(initialRate).optProbeEvery(probeEvery).build(),
        block -> ParameterGroups.single("all"));
  }

  /**
   * One Hi-DLR method per policy, over the same groups and base optimizer.
   *
   * @param policies the policies, e.g. {@link Policy#reported()}
   * @param optimizer the base optimizer at the reference rate {@code initialRate}
   * @param initialRate {@code η0}
   * @param probeEvery {@code Φ}
   * @param groups the grouping
   * @param steps the run's budget {@code T}, for policies with a horizon
   * @return one method per policy, named after it
   */
  public static List<Method> policies(List<Policy> policies,
      DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer,
      double initialRate, int probeEvery, Function<Block, ParameterGroups> groups, long steps) {
    List<Method> out = new ArrayList<>();
    for (Policy policy : policies) {
      TunerConfig config = policy.config(initialRate, probeEvery, steps);
      out.add(new Method(policy.name(), at(optimizer, config.initialRate()), config,
          groups, policy.probes()));
    }
    return out;
  }

  /**
   * Hi-DLR with a full configuration.
   *
   * @param name the name
   * @param optimizer the base optimizer at a given rate; built at {@code config.initialRate()}
   * @param config the tuner configuration
   * @param groups the grouping
   * @return the method
   */
  public static Method hiDlr(String name, DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer,
      TunerConfig config, Function<Block, ParameterGroups> groups) {
    return new Method(name, at(optimizer, config.initialRate()), config, groups);
  }

  /**
   * Fixed per-group rates (manual DLR, LoRA+): {@link TunerConfig#fixed()}, the Hi-DLR
   * machinery with clipping {@code ρ = 1}, so no fit could move a rate and the tuner never
   * probes (no extra forward pass).
   *
   * @param name the name
   * @param optimizer the base optimizer at a given reference rate
   * @param rates rate per group name (the first is the reference)
   * @param groups the grouping, whose names match {@code rates}
   * @return the method
   */
  public static Method fixedRates(String name, DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer,
      Map<String, Double> rates, Function<Block, ParameterGroups> groups) {
    double reference = rates.values().iterator().next();
    TunerConfig.Builder config = TunerConfig.fixed().setInitialRate(reference);
    rates.forEach(config::optInitialRate);
    return new Method(name, at(optimizer, reference), config.build(), groups);
  }

  /**
   * A uniform rate with a decaying schedule, {@code η(t) = s(t) η} with the horizon scales of
   * ALGORITHM.md §4 (linear or cosine over {@code T} steps): the fixed-rate machinery of
   * {@link #fixedRates} with one group.
   *
   * @param name the name, e.g. {@code "cosine"}
   * @param optimizer the base optimizer at a given rate
   * @param rate the peak rate {@code η}
   * @param horizon LINEAR or COSINE
   * @param steps {@code T}
   * @return the method
   */
  public static Method schedule(String name,
      DoubleFunction<NdOptimizer.Builder<?, ?>> optimizer, double rate,
      Horizon horizon, long steps) {
    TunerConfig config =
        TunerConfig.fixed().setInitialRate(rate).optHorizon(horizon, steps).build();
    return new Method(name, at(optimizer, rate), config,
        block -> ParameterGroups.single("all"));
  }
}
