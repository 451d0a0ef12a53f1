package io.github.hidlr.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * In-place tensor copies that are safe on DJL's PyTorch engine.
 *
 * <p>Why not {@code NDArray.copyTo}: on PyTorch it goes through {@code set(ByteBuffer)} with a
 * direct buffer over the source's memory, which can leave the destination aliasing the source
 * (and dangling once the source is freed). {@link #assign} is a native element-wise copy into
 * the destination's own storage.
 */
public final class Tensors {

  private static final NDIndex ALL = new NDIndex("...");

  private Tensors() {}

  /**
   * {@code destination ← source}, element-wise, in the destination's storage. Temporary views
   * are closed before returning.
   *
   * @param destination written in place; shape and type equal to the source's
   * @param source read
   */
  public static void assign(NDArray destination, NDArray source) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      destination.set(ALL, source);
    }
  }
}
