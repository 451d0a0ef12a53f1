package io.github.hidlr.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * In-place tensor copies that are safe on DJL's PyTorch engine, and a finiteness check of
 * many tensors with a single read-back.
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

  /**
   * The index of the first array that holds a NaN or an infinity, or −1 if all are finite.
   * Sums each array (NaN and infinities propagate through a sum) and reads the sums back in one
   * transfer, not one per array.
   *
   * @param arrays on one device; may be empty
   * @return the index in {@code arrays}, or −1
   */
  public static int firstNonFinite(List<NDArray> arrays) {
    if (arrays.isEmpty()) {
      return -1;
    }
    float[] sums;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDList each = new NDList(arrays.size());
      for (NDArray array : arrays) {
        each.add(array.sum().toType(DataType.FLOAT32, false));
      }
      sums = NDArrays.stack(each).toFloatArray();
    }
    for (int i = 0; i < sums.length; i++) {
      if (!Float.isFinite(sums[i])) {
        return i;
      }
    }
    return -1;
  }
}
