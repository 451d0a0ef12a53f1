package io.github.hidlr.core.problem;

/** A smooth function {@code f: ℝⁿ → ℝ} with its gradient, in double precision. */
public interface DifferentiableFunction {

  /**
   * The number of coordinates {@code n}.
   *
   * @return {@code n ≥ 1}
   */
  int dimension();

  /**
   * {@code f(x)}.
   *
   * @param x a point, length {@link #dimension()}
   * @return the value
   */
  double value(double[] x);

  /**
   * {@code ∇f(x)}.
   *
   * @param x a point, length {@link #dimension()}
   * @return a new array holding the gradient
   */
  double[] gradient(double[] x);
}
