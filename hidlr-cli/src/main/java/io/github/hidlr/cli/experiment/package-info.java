/**
 * The paper's experiments (ALGORITHM.md §8), each a small {@link
 * io.github.hidlr.cli.experiment.Experiment} that writes {@code config.json},
 * {@code summary.json}, CSV traces and PNG plots into its folder.
 */
package io.github.hidlr.cli.experiment;
