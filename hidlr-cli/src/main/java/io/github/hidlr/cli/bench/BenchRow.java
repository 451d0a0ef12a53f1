package io.github.hidlr.cli.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One configuration's result. Times are medians over the interleaved rounds of per-step means,
 * in milliseconds of the run's clock; {@code measured_ratio} is the median over rounds of the
 * paired ratio {@code step_base / step_hidlr}; {@code floor_ratio} is ALGORITHM.md §5's bound
 * {@code (F + B + O) / (F + B + O + P·F/Φ)} from the medians of {@code F}, {@code F + B} and
 * {@code O}. Both ratios are relative speeds ({@code ≤ 1}; 1 means no overhead).
 *
 * @param model the model
 * @param optimizer the base optimizer
 * @param groups the grouping, e.g. {@code "weights | biases"}
 * @param k the number of groups {@code K}
 * @param phi the probe period {@code Φ}
 * @param scheme the probe scheme
 * @param passes forward passes per probe {@code P} ({@code 2K + 1} for SYMMETRIC)
 * @param batch the mini-batch size (training and probe batch)
 * @param stepsPerBlock timed steps per block
 * @param rounds interleaved rounds
 * @param clock {@code wall} or {@code cpu} (CPU time of the training thread)
 * @param stepMsBase base optimizer: time per training step
 * @param stepMsHidlr Hi-DLR: time per training step
 * @param forwardMs {@code F}: inference forward pass plus loss
 * @param backwardMs {@code B}: the base step's training forward and backward, minus {@code F}
 * @param updateMs {@code O}: the base optimizer's {@code trainer.step()}
 * @param forwardBackwardMsHidlr the Hi-DLR step's training forward and backward (a check: it
 *     should equal {@code F + B})
 * @param updateMsHidlr the Hi-DLR trainer's {@code trainer.step()} per step, probes amortised
 *     over {@code Φ}
 * @param updateMsHidlrProbing the Hi-DLR {@code trainer.step()} on probing steps
 * @param updateMsHidlrOther the Hi-DLR {@code trainer.step()} on the other steps (NaN when
 *     {@code Φ = 1}); minus {@code O}, the per-step cost of capturing and rescaling the update
 * @param probeMsWall the probe alone ({@code StepOutcome.probeNanos}, always wall time)
 * @param measuredRatio measured relative speed {@code step_base / step_hidlr}
 * @param measuredRatioQ1 lower quartile of the per-round ratios (the machine's noise)
 * @param measuredRatioQ3 upper quartile of the per-round ratios
 * @param floorRatio the §5 bound
 * @param lossBase the base trainer's loss on batch 0 after the rounds
 * @param lossHidlr the Hi-DLR trainer's loss on batch 0 after the rounds
 */
public record BenchRow(
    String model,
    String optimizer,
    String groups,
    int k,
    int phi,
    String scheme,
    int passes,
    int batch,
    int stepsPerBlock,
    int rounds,
    String clock,
    double stepMsBase,
    double stepMsHidlr,
    double forwardMs,
    double backwardMs,
    double updateMs,
    double forwardBackwardMsHidlr,
    double updateMsHidlr,
    double updateMsHidlrProbing,
    double updateMsHidlrOther,
    double probeMsWall,
    double measuredRatio,
    double measuredRatioQ1,
    double measuredRatioQ3,
    double floorRatio,
    double lossBase,
    double lossHidlr) {

  /** The table's header line. */
  static final String HEADER = String.format(Locale.ROOT,
      "%-20s %-4s %2s %2s %3s %8s %8s %5s %5s %5s %7s %8s %6s %8s %8s",
      "model", "opt", "K", "Φ", "P", "base_ms", "hidlr_ms", "F_ms", "B_ms", "O_ms", "O'_ms",
      "measured", "floor", "meas/flr", "extra_ms");

  /** What the table's columns mean. */
  static final String LEGEND = String.join("\n",
      "base_ms, hidlr_ms: time per training step; F: inference forward + loss; B: training"
          + " forward + backward − F;",
      "O: Adam's update; O': Hi-DLR's update on a non-probing step (O' − O = capture and"
          + " rescale, a cost the bound leaves out);",
      "measured = base_ms / hidlr_ms (median of paired rounds); floor = (F+B+O) / (F+B+O +"
          + " P·F/Φ); extra_ms = hidlr_ms − base_ms − P·F/Φ");

  /**
   * How close the measured speed comes to the bound: {@code measured_ratio / floor_ratio}
   * (1 means at the bound; the target is {@code ≥ 0.9}).
   *
   * @return the fraction of the bound reached
   */
  public double fractionOfFloor() {
    return measuredRatio / floorRatio;
  }

  /**
   * The cost per step beyond the bound's {@code P·F/Φ}: {@code step_hidlr − step_base − P·F/Φ}.
   *
   * @return milliseconds per step not explained by the probe's forward passes
   */
  public double excessMs() {
    return stepMsHidlr - stepMsBase - passes * forwardMs / phi;
  }

  /**
   * The row as ordered JSON fields, the names first.
   *
   * @return the fields
   */
  Map<String, Object> toJson() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("model", model);
    map.put("optimizer", optimizer);
    map.put("K", k);
    map.put("phi", phi);
    map.put("step_ms_base", round(stepMsBase));
    map.put("step_ms_hidlr", round(stepMsHidlr));
    map.put("forward_ms", round(forwardMs));
    map.put("backward_ms", round(backwardMs));
    map.put("measured_ratio", round(measuredRatio));
    map.put("floor_ratio", round(floorRatio));
    map.put("update_ms", round(updateMs));
    map.put("fraction_of_floor", round(fractionOfFloor()));
    map.put("excess_ms", round(excessMs()));
    map.put("measured_ratio_q1", round(measuredRatioQ1));
    map.put("measured_ratio_q3", round(measuredRatioQ3));
    map.put("forward_backward_ms_hidlr", round(forwardBackwardMsHidlr));
    map.put("update_ms_hidlr", round(updateMsHidlr));
    map.put("update_ms_hidlr_probing", round(updateMsHidlrProbing));
    map.put("update_ms_hidlr_other", round(updateMsHidlrOther));
    map.put("probe_ms_wall", round(probeMsWall));
    map.put("groups", groups);
    map.put("scheme", scheme);
    map.put("passes_per_probe", passes);
    map.put("batch", batch);
    map.put("steps_per_block", stepsPerBlock);
    map.put("rounds", rounds);
    map.put("clock", clock);
    map.put("loss_base", round(lossBase));
    map.put("loss_hidlr", round(lossHidlr));
    return map;
  }

  /**
   * The row as one line of the table under {@link #HEADER}.
   *
   * @return the line
   */
  String toTableLine() {
    return String.format(Locale.ROOT,
        "%-20s %-4s %2d %2d %3d %8.2f %8.2f %5.2f %5.2f %5.2f %7s %8.3f %6.3f %8.3f %8.2f",
        model, optimizer, k, phi, passes, stepMsBase, stepMsHidlr, forwardMs, backwardMs,
        updateMs, Double.isNaN(updateMsHidlrOther) ? "-"
            : String.format(Locale.ROOT, "%.2f", updateMsHidlrOther),
        measuredRatio, floorRatio, fractionOfFloor(), excessMs());
  }

  /** Rounds to 4 decimals; NaN stays NaN (written as {@code null}). */
  private static double round(double value) {
    return Double.isFinite(value) ? Math.round(value * 1e4) / 1e4 : value;
  }
}
