package io.github.hidlr.djl;

import io.github.hidlr.core.tuner.ProbeReport;
import java.util.List;
import java.util.Optional;

/**
 * What one Hi-DLR training step did on DJL.
 *
 * @param step the step index {@code t}
 * @param rates the rates {@code η_k(t)} applied, one per group
 * @param report the probe's diagnostics on probing steps
 * @param probeNanos wall time spent probing (forward passes and displacements)
 * @param newlyFrozen parameters frozen at this step by the influence policy (full names)
 */
public record StepOutcome(
    long step,
    double[] rates,
    Optional<ProbeReport> report,
    long probeNanos,
    List<String> newlyFrozen) {

  /** Copies the list. */
  public StepOutcome {
    newlyFrozen = List.copyOf(newlyFrozen);
  }
}
