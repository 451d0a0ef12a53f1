/**
 * Selecting parameter groups on DJL blocks (ALGORITHM.md §1): by full parameter name pattern
 * ({@code 01Linear_weight}), by block, by predicate, by kind (weights, biases, normalisation)
 * and by row slices (one group per row of a head). Groups never overlap; parameters outside
 * every group are frozen or collected into a "rest" group, as the user chooses.
 */
package io.github.hidlr.djl.group;
