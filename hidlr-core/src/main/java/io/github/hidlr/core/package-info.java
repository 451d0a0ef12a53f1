/**
 * The Hi-DLR algorithm with no engine (Xu, Bu, Zhang &amp; Barnett, "A Hessian-informed
 * hyperparameter optimization for differential learning rate").
 *
 * <p>Sub-packages: {@code group} (which parameters share a learning rate), {@code probe}
 * (where to evaluate the loss and how to fit the parabola), {@code linalg} (the small
 * closed-form solvers the fits need), {@code tuner} (how each group's rate {@code η_k} is
 * chosen from a fit), {@code state} (saving and restoring the tuner), {@code problem}
 * (plain {@code double[]} problems driven by gradient descent) and {@code example}.
 * Nothing here depends on an engine: engines implement {@link
 * io.github.hidlr.core.probe.LossProbe}.
 */
package io.github.hidlr.core;
