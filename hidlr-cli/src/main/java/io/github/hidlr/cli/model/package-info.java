/**
 * The small DJL models of the paper's experiments: a mixture of experts with a gating network
 * (Appendix B) and a neural additive model with one sub-network per feature (Figure 5).
 */
package io.github.hidlr.cli.model;
