/**
 * Saving and restoring a tuner's state with its checkpoint, in a stable, documented, plain
 * text format with a checksum and a check that the group layout matches (the PyTorch
 * {@code param_groups} rule).
 */
package io.github.hidlr.core.state;
