/**
 * Parameter groups: the partition {@code w = (w_(1), …, w_(K))} of ALGORITHM.md §1. Each
 * group gets one learning rate; groups never overlap and are never empty.
 */
package io.github.hidlr.core.group;
