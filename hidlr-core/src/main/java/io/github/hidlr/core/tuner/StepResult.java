package io.github.hidlr.core.tuner;

import java.util.Optional;

/**
 * The outcome of {@link HiDlrTuner#step}: the rates to apply at step {@code t}, and the probe
 * report when this step probed.
 *
 * @param step the step {@code t} these rates belong to
 * @param rates {@code η_k(t) = s(t) σ ê_k}, 0 for frozen groups
 * @param report the probe's diagnostics, empty on steps between probes
 */
public record StepResult(long step, double[] rates, Optional<ProbeReport> report) {}
