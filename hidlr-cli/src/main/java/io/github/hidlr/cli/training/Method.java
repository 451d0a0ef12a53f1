package io.github.hidlr.cli.training;

import ai.djl.nn.Block;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.function.Function;

/**
 * A way to set learning rates, compared on the same task.
 *
 * @param name the method's name in tables ({@code hi-dlr}, {@code ulr-best}, …)
 * @param optimizer builds the base optimizer at its (reference) rate, given the model's block
 *     (the whole-step baselines need it)
 * @param tuner the Hi-DLR configuration, or {@code null} for a plain run at the optimizer's
 *     rate
 * @param groups the grouping for Hi-DLR, from the initialised block; {@code null} for plain
 * @param probes where a tuned run draws its probe batches
 */
public record Method(
    String name,
    Function<Block, NdOptimizer> optimizer,
    TunerConfig tuner,
    Function<Block, ParameterGroups> groups,
    ProbeSource probes) {

  /**
   * A method that probes on the next training batch (when tuned).
   *
   * @param name the name
   * @param optimizer the optimizer factory
   * @param tuner the Hi-DLR configuration, or {@code null}
   * @param groups the grouping, or {@code null}
   */
  public Method(String name, Function<Block, NdOptimizer> optimizer, TunerConfig tuner,
      Function<Block, ParameterGroups> groups) {
    this(name, optimizer, tuner, groups, ProbeSource.NEXT_BATCH);
  }

  /**
   * A plain run of the base optimizer at its own rate.
   *
   * @param name the name
   * @param optimizer the optimizer factory
   * @return the method
   */
  public static Method plain(String name, Function<Block, NdOptimizer> optimizer) {
    return new Method(name, optimizer, null, null);
  }

  /**
   * Whether Hi-DLR sets the rates.
   *
   * @return true for tuned methods
   */
  public boolean tuned() {
    return tuner != null;
  }
}
