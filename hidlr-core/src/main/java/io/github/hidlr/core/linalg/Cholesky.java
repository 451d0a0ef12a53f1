package io.github.hidlr.core.linalg;

import java.util.Optional;

/**
 * Cholesky factorisation {@code A = L Lᵀ} of a symmetric matrix with a positive-definiteness
 * check, used by the FULL probe scheme to solve {@code A η* = b} (ALGORITHM.md §2–§3).
 */
public final class Cholesky {

  private final double[][] lower;

  private Cholesky(double[][] lower) {
    this.lower = lower;
  }

  /**
   * Factorises {@code a}, or returns empty when it is not (numerically) positive definite:
   * a pivot that is not finite or not above {@code 1e-14} times the largest diagonal entry.
   *
   * @param a a symmetric {@code n × n} matrix; only its lower triangle is read
   * @return the factorisation, or empty if {@code a} is not positive definite
   */
  public static Optional<Cholesky> decompose(double[][] a) {
    int n = a.length;
    double maxDiagonal = 0;
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has "
            + a[i].length + " entries, expected " + n);
      }
      maxDiagonal = Math.max(maxDiagonal, Math.abs(a[i][i]));
    }
    double[][] l = new double[n][n];
    for (int j = 0; j < n; j++) {
      double diagonal = a[j][j];
      for (int k = 0; k < j; k++) {
        diagonal -= l[j][k] * l[j][k];
      }
      if (!(diagonal > 1e-14 * maxDiagonal) || !Double.isFinite(diagonal)) {
        return Optional.empty();
      }
      double pivot = Math.sqrt(diagonal);
      l[j][j] = pivot;
      for (int i = j + 1; i < n; i++) {
        double sum = a[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        l[i][j] = sum / pivot;
      }
    }
    return Optional.of(new Cholesky(l));
  }

  /**
   * Solves {@code A x = b}.
   *
   * @param b right-hand side, length {@code n}
   * @return {@code x}
   */
  public double[] solve(double[] b) {
    int n = lower.length;
    if (b.length != n) {
      throw new IllegalArgumentException("right-hand side has " + b.length
          + " entries, expected " + n);
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= lower[i][k] * y[k];
      }
      y[i] = sum / lower[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < n; k++) {
        sum -= lower[k][i] * x[k];
      }
      x[i] = sum / lower[i][i];
    }
    return x;
  }
}
