package io.github.hidlr.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * In-place tensor copies and scalar constants that are safe on DJL's PyTorch engine, and a
 * finiteness check of many tensors with a single read-back.
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
   * A scalar ({@code shape ()}) of {@code like}'s type, device and manager whose memory
   * PyTorch owns: use it in place of a {@code Number} argument ({@code x.mul(c)},
   * {@code x.div(c)}) in a forward pass that autograd records.
   *
   * <p>Why: DJL's {@code x.mul(2f)} wraps the 2 in a 4-byte Java direct buffer
   * ({@code torch::from_blob}, no copy), runs the op and closes the scalar at once, which
   * lets the buffer be garbage-collected. PyTorch's {@code mul} and {@code div} keep that
   * scalar for the backward pass, so a garbage collection between forward and backward frees
   * memory that backward then reads: the gradient is multiplied by whatever lies there. It
   * happens rarely (a collection must fall in that window) and silently; forcing one turned the
   * gradient of {@code sum(2w)} into the value a later allocation wrote, 20 times of 20
   * (ScalarConstantTest checks that this constant survives the same). A scalar made by
   * {@code NDManager.full} is allocated by PyTorch and reference-counted, so the backward pass
   * keeps it alive. The value is rounded to float ({@code NDManager.full} takes a float), also
   * for a FLOAT64 array.
   *
   * @param like the array the constant will meet
   * @param value the value
   * @return the scalar, attached to {@code like}'s manager
   */
  public static NDArray constant(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

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
   * transfer, not one per array; an array whose sum is not finite is then looked at element by
   * element, so a finite array whose sum overflows its type is not mistaken for a non-finite one.
   *
   * @param arrays on one device; may be empty
   * @return the index in {@code arrays}, or −1
   */
  public static int firstNonFinite(List<NDArray> arrays) {
    if (arrays.isEmpty()) {
      return -1;
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDList each = new NDList(arrays.size());
      for (NDArray array : arrays) {
        each.add(array.sum().toType(DataType.FLOAT32, false));
      }
      float[] sums = NDArrays.stack(each).toFloatArray();
      for (int i = 0; i < sums.length; i++) {
        NDArray array = arrays.get(i);
        if (!Float.isFinite(sums[i]) && array.isNaN().logicalOr(array.isInfinite()).any()
            .getBoolean()) {
          return i;
        }
      }
    }
    return -1;
  }
}
