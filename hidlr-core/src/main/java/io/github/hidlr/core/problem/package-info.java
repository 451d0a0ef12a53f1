/**
 * Plain problems: a differentiable function of a {@code double[]}, its coordinates grouped,
 * gradient descent as the base direction and the tuner on top. The engine for the paper's
 * 2D functions (Figure 2) and for tests with a known answer.
 */
package io.github.hidlr.core.problem;
