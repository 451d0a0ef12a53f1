/**
 * Runnable examples on plain problems: the 2D functions of the Hi-DLR paper's Figure 2.
 */
package io.github.hidlr.core.example;
