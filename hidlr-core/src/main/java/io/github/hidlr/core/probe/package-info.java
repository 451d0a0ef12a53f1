/**
 * Probing the loss along the optimizer's direction and fitting the parabola
 * {@code L(w − Σ_k ξ_k d_(k)) ≈ L0 − Σ_k b_k ξ_k + ½ Σ_{j,k} A_jk ξ_j ξ_k}
 * (ALGORITHM.md §2–§3): the {@link io.github.hidlr.core.probe.LossProbe} that engines
 * implement, the three schemes (SYMMETRIC, REGRESSION, FULL) as plan-then-fit pairs, and the
 * {@link io.github.hidlr.core.probe.QuadraticFit} they produce. Fits run in double precision
 * and in closed form.
 */
package io.github.hidlr.core.probe;
