/**
 * The speed benchmark of Hi-DLR on DJL (ALGORITHM.md §5): {@link
 * io.github.hidlr.cli.bench.HiDlrBenchmark} trains an MLP (784-512-512-10, batch 128, synthetic
 * data) with Adam and with Hi-DLR side by side in one process, interleaving the timed rounds,
 * and compares the measured relative speed {@code step_base / step_hidlr} with the bound
 * {@code (F + B + O) / (F + B + O + P·F/Φ)} computed from the measured forward, backward and
 * update times. Results go to {@code bench.json}; the same rows print as a table.
 */
package io.github.hidlr.cli.bench;
