package io.github.hidlr.core.probe;

/**
 * The floating-point arithmetic a {@link LossProbe} computes its losses in. The resolution
 * guard of ALGORITHM.md §3 compares a curvature term against a few units in the last place
 * of {@code L0} in this arithmetic: float32 losses cannot resolve a second difference below
 * about {@code 1e-7 L0}.
 */
public enum LossPrecision {
  /** Single precision, as DJL models compute by default. */
  FLOAT32 {
    @Override
    public double ulp(double value) {
      return Math.ulp((float) value);
    }
  },
  /** Double precision, as the plain {@code double[]} problems compute. */
  FLOAT64 {
    @Override
    public double ulp(double value) {
      return Math.ulp(value);
    }
  };

  /**
   * One unit in the last place of {@code value} in this arithmetic.
   *
   * @param value a loss
   * @return its ulp
   */
  public abstract double ulp(double value);
}
