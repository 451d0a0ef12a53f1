package io.github.hidlr.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one non-finite check: exact, read back once, not fooled by a sum that overflows. */
class TensorsTest {

  @Test
  void findsTheFirstNonFiniteArrayAndIsNotFooledByAnOverflowingSum() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // Finite, but its float32 sum is infinite.
      NDArray huge = manager.create(new float[] {3e38f, 3e38f, 1f});
      NDArray nan = manager.create(new float[] {1f, Float.NaN});
      NDArray infinite = manager.create(new float[] {Float.NEGATIVE_INFINITY, 0f});
      NDArray plain = manager.create(new float[] {0.5f, -2f});
      assertThat(Tensors.firstNonFinite(List.of())).isEqualTo(-1);
      assertThat(Tensors.firstNonFinite(List.of(huge, plain))).isEqualTo(-1);
      assertThat(Tensors.firstNonFinite(List.of(huge, nan, infinite))).isEqualTo(1);
      assertThat(Tensors.firstNonFinite(List.of(plain, infinite))).isEqualTo(1);
      assertThat(Tensors.firstNonFinite(List.of(nan, plain))).isZero();
    }
  }
}
