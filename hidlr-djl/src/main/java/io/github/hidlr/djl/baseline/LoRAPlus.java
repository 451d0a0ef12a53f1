package io.github.hidlr.djl.baseline;

import ai.djl.nn.Block;
import io.github.hidlr.djl.lora.LoRAGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * LoRA+ (Hayou, Ghosh and Yu 2024): train LoRA's {@code B} matrices with a larger learning rate
 * than its {@code A} matrices, {@code η_B = λ·η_A} with {@code λ = 16} by default; everything else
 * (the head) keeps {@code η_A}. The paper's experiments use this as the hand-set differential
 * learning rate that Hi-DLR's tuned rates are compared with.
 *
 * <p>{@link #wrap} runs one of hidlr's optimizers at {@code η_A = η} with the {@code B} update
 * scaled by {@code λ} ({@link ScaledRateOptimizer}; exact, as the update is linear in the rate, so
 * AdamW's decoupled weight decay of {@code B} scales too, as with a PyTorch parameter group at
 * {@code λ·η}). {@link #groupRates} gives the same rates per group name, e.g. as Hi-DLR's initial
 * rates ({@code TunerConfig.Builder.optInitialRate(group, rate)}).
 *
 * @see <a href="https://arxiv.org/abs/2402.12354">Hayou, Ghosh and Yu 2024, LoRA+: Efficient Low
 *     Rank Adaptation of Large Models</a>
 */
public final class LoRAPlus {

  /** Default ratio {@code λ = η_B / η_A}. */
  public static final double DEFAULT_RATIO = 16;

  /** Group name of the {@code A} matrices in {@link #groupRates}. */
  public static final String GROUP_A = "A";

  /** Group name of the {@code B} matrices in {@link #groupRates}. */
  public static final String GROUP_B = "B";

  /** Group name of the head in {@link #groupRates}. */
  public static final String GROUP_HEAD = "head";

  private LoRAPlus() {}

  /**
   * Returns LoRA+'s rates per group with {@code λ = 16}.
   *
   * @param etaA {@code η_A}, finite and {@code > 0}
   * @return {@code {A: η_A, B: 16·η_A, head: η_A}}, in that order
   */
  public static Map<String, Double> groupRates(double etaA) {
    return groupRates(etaA, DEFAULT_RATIO);
  }

  /**
   * Returns LoRA+'s rates per group.
   *
   * @param etaA {@code η_A}, finite and {@code > 0}
   * @param ratio {@code λ}, finite and {@code > 0}
   * @return {@code {A: η_A, B: λ·η_A, head: η_A}}, in that order, unmodifiable
   */
  public static Map<String, Double> groupRates(double etaA, double ratio) {
    checkPositive("etaA", etaA);
    checkPositive("ratio", ratio);
    Map<String, Double> rates = new LinkedHashMap<>();
    rates.put(GROUP_A, etaA);
    rates.put(GROUP_B, ratio * etaA);
    rates.put(GROUP_HEAD, etaA);
    return Collections.unmodifiableMap(rates);
  }

  /**
   * Runs {@code base} (at its rate {@code η_A}) with the {@code B} matrices at {@code 16·η_A}.
   *
   * @param base one of hidlr's linear optimizers, e.g. {@code Optimizers.adamW()}
   * @param block the LoRA model's block
   * @param groups the group patterns, e.g. from {@code LoRA.wrapAllButHead(...).groups()}
   * @return the optimizer to give the trainer
   */
  public static ScaledRateOptimizer wrap(NdOptimizer base, Block block, LoRAGroups groups) {
    return wrap(base, block, groups, DEFAULT_RATIO);
  }

  /**
   * Runs {@code base} (at its rate {@code η_A}) with the {@code B} matrices at {@code λ·η_A}.
   *
   * @param base one of hidlr's linear optimizers
   * @param block the LoRA model's block
   * @param groups the group patterns
   * @param ratio {@code λ}, finite and {@code > 0}
   * @return the optimizer to give the trainer
   */
  public static ScaledRateOptimizer wrap(
      NdOptimizer base, Block block, LoRAGroups groups, double ratio) {
    Objects.requireNonNull(groups, "groups");
    checkPositive("ratio", ratio);
    return ScaledRateOptimizer.builder()
        .setBase(base)
        .setBlock(block)
        .optScale(groups.bPattern(), ratio)
        .build();
  }

  private static void checkPositive(String name, double value) {
    if (!(Double.isFinite(value) && value > 0)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
  }
}
