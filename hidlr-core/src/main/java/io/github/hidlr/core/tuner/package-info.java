/**
 * How each group's learning rate {@code η_k} is chosen (ALGORITHM.md §2, §4, §5, §7): the
 * configuration and its presets (GeN, Hi-DLR, CDAT), the stateful {@link
 * io.github.hidlr.core.tuner.HiDlrTuner}, its saved {@link
 * io.github.hidlr.core.tuner.TunerState}, and the per-probe diagnostics users plot and tests
 * assert on. This is the one place in hidlr that computes a learning rate.
 */
package io.github.hidlr.core.tuner;
