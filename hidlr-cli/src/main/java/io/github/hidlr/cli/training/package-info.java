/**
 * Training a method on a supervised task for the experiments: the same model, data, seed and
 * step budget for every method (uniform rate, Hi-ULR, Hi-DLR, manual DLR), with traces and
 * test metrics at 10%, 30% and 100% of the budget.
 */
package io.github.hidlr.cli.training;
