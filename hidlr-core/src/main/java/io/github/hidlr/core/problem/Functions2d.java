package io.github.hidlr.core.problem;

/**
 * The 2D test functions of the Hi-DLR paper's Figure 2 (ALGORITHM.md §8): a convex ellipse on
 * which Hi-DLR with one group per coordinate is Newton's method, and the non-convex sum of
 * the Beale and Rosenbrock functions, with two local minima.
 */
public final class Functions2d {

  /** The approximate Beale + Rosenbrock minimum the paper's runs reach, {@code f ≈ 6.32462}. */
  public static final double[] BEALE_ROSENBROCK_MINIMUM = {-1.2250, 1.5077};
  /** The other local minimum, {@code f ≈ 8.29384}. */
  public static final double[] BEALE_ROSENBROCK_OTHER_MINIMUM = {0.7050, 0.4686};

  private Functions2d() {}

  /**
   * The ellipse {@code f(x, y) = x² + 10 y²}, minimum 0 at the origin.
   *
   * @return the function
   */
  public static DifferentiableFunction ellipse() {
    return new DifferentiableFunction() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double value(double[] p) {
        return p[0] * p[0] + 10 * p[1] * p[1];
      }

      @Override
      public double[] gradient(double[] p) {
        return new double[] {2 * p[0], 20 * p[1]};
      }

      @Override
      public String toString() {
        return "ellipse x² + 10y²";
      }
    };
  }

  /**
   * Beale plus Rosenbrock:
   * {@code (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)² + (1 − x)² + 100 (y − x²)²}.
   *
   * @return the function
   */
  public static DifferentiableFunction bealePlusRosenbrock() {
    return new DifferentiableFunction() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double value(double[] p) {
        double x = p[0];
        double y = p[1];
        double t1 = 1.5 - x + x * y;
        double t2 = 2.25 - x + x * y * y;
        double t3 = 2.625 - x + x * y * y * y;
        double r = y - x * x;
        return t1 * t1 + t2 * t2 + t3 * t3 + (1 - x) * (1 - x) + 100 * r * r;
      }

      @Override
      public double[] gradient(double[] p) {
        double x = p[0];
        double y = p[1];
        double t1 = 1.5 - x + x * y;
        double t2 = 2.25 - x + x * y * y;
        double t3 = 2.625 - x + x * y * y * y;
        double r = y - x * x;
        double dx = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1)
            - 2 * (1 - x) - 400 * x * r;
        double dy = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y * y + 200 * r;
        return new double[] {dx, dy};
      }

      @Override
      public String toString() {
        return "Beale + Rosenbrock";
      }
    };
  }

  /**
   * Refines a local minimum by Newton's method on the gradient, with the Hessian from central
   * differences of the analytic gradient; used to pin {@code f*} to full precision.
   *
   * @param f the function
   * @param start a point near the minimum
   * @return the refined minimiser
   */
  public static double[] refineMinimum(DifferentiableFunction f, double[] start) {
    int n = f.dimension();
    double[] x = start.clone();
    for (int iteration = 0; iteration < 50; iteration++) {
      double[] g = f.gradient(x);
      double[][] hessian = new double[n][n];
      for (int j = 0; j < n; j++) {
        double step = 1e-6 * Math.max(1, Math.abs(x[j]));
        double[] plus = x.clone();
        double[] minus = x.clone();
        plus[j] += step;
        minus[j] -= step;
        double[] gp = f.gradient(plus);
        double[] gm = f.gradient(minus);
        for (int i = 0; i < n; i++) {
          hessian[i][j] = (gp[i] - gm[i]) / (2 * step);
        }
      }
      double[] delta = io.github.hidlr.core.linalg.LeastSquares.solve(hessian, g).coefficients();
      double size = 0;
      for (int i = 0; i < n; i++) {
        x[i] -= delta[i];
        size = Math.max(size, Math.abs(delta[i]));
      }
      if (size < 1e-15) {
        break;
      }
    }
    return x;
  }
}
