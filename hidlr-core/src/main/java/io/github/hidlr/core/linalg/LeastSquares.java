package io.github.hidlr.core.linalg;

/**
 * Linear least squares {@code min_θ ‖X θ − y‖²} by Householder QR, the numerically stable
 * closed form (Golub &amp; Van Loan, §5.3). Used by the REGRESSION probe scheme, which fits
 * {@code L(w − Σ ξ_k d_(k)) − L0 ≈ Σ_k (−ξ_k) b_k + ½ ξ_k² a_k} over its probes.
 *
 * <p>Rank deficiency is reported, not hidden: a column whose remaining norm falls below
 * {@code 1e-10} times the largest column norm makes the solution {@link Solution#fullRank()
 * false} and its coefficients NaN.
 */
public final class LeastSquares {

  private static final double RANK_TOLERANCE = 1e-10;

  private LeastSquares() {}

  /**
   * The least-squares solution with its goodness of fit.
   *
   * @param coefficients {@code θ}, NaN when not full rank
   * @param residualSumOfSquares {@code ‖X θ − y‖²}
   * @param rSquared {@code 1 − RSS / Σ (y_i − ȳ)²}; 1 when {@code y} is constant and fit
   *     exactly
   * @param fullRank whether {@code X} had full column rank
   */
  public record Solution(
      double[] coefficients, double residualSumOfSquares, double rSquared, boolean fullRank) {}

  /**
   * Solves {@code min ‖X θ − y‖²}.
   *
   * @param design {@code X}, {@code m × n} with {@code m ≥ n}, row-major; not modified
   * @param target {@code y}, length {@code m}; not modified
   * @return the solution
   */
  public static Solution solve(double[][] design, double[] target) {
    int m = design.length;
    if (m == 0) {
      throw new IllegalArgumentException("design matrix has no rows");
    }
    int n = design[0].length;
    if (target.length != m) {
      throw new IllegalArgumentException(
          "target has " + target.length + " entries but the design has " + m + " rows");
    }
    if (m < n) {
      throw new IllegalArgumentException(
          "underdetermined: " + m + " observations for " + n + " coefficients");
    }
    double[][] r = new double[m][];
    for (int i = 0; i < m; i++) {
      if (design[i].length != n) {
        throw new IllegalArgumentException("design row " + i + " has " + design[i].length
            + " columns, expected " + n);
      }
      r[i] = design[i].clone();
    }
    double[] qty = target.clone();
    double maxNorm = 0;
    for (int j = 0; j < n; j++) {
      double norm = 0;
      for (int i = 0; i < m; i++) {
        norm += r[i][j] * r[i][j];
      }
      maxNorm = Math.max(maxNorm, Math.sqrt(norm));
    }
    boolean fullRank = maxNorm > 0;
    for (int j = 0; j < n && fullRank; j++) {
      double norm = 0;
      for (int i = j; i < m; i++) {
        norm = Math.hypot(norm, r[i][j]);
      }
      if (norm <= RANK_TOLERANCE * maxNorm) {
        fullRank = false;
        break;
      }
      double alpha = r[j][j] > 0 ? -norm : norm;
      // Householder vector v = x − alpha e1, stored in place below the diagonal.
      double v0 = r[j][j] - alpha;
      double vNormSq = v0 * v0;
      for (int i = j + 1; i < m; i++) {
        vNormSq += r[i][j] * r[i][j];
      }
      r[j][j] = v0;
      for (int c = j + 1; c < n; c++) {
        reflect(r, j, c, m, vNormSq);
      }
      double dot = 0;
      for (int i = j; i < m; i++) {
        dot += r[i][j] * qty[i];
      }
      double scale = 2 * dot / vNormSq;
      for (int i = j; i < m; i++) {
        qty[i] -= scale * r[i][j];
      }
      r[j][j] = alpha;
      for (int i = j + 1; i < m; i++) {
        r[i][j] = 0;
      }
    }
    double[] theta = new double[n];
    if (!fullRank) {
      java.util.Arrays.fill(theta, Double.NaN);
      return new Solution(theta, Double.NaN, Double.NaN, false);
    }
    for (int j = n - 1; j >= 0; j--) {
      double sum = qty[j];
      for (int c = j + 1; c < n; c++) {
        sum -= r[j][c] * theta[c];
      }
      theta[j] = sum / r[j][j];
    }
    double rss = 0;
    double mean = 0;
    for (int i = 0; i < m; i++) {
      mean += target[i];
    }
    mean /= m;
    double tss = 0;
    for (int i = 0; i < m; i++) {
      double fitted = 0;
      for (int j = 0; j < n; j++) {
        fitted += design[i][j] * theta[j];
      }
      double residual = target[i] - fitted;
      rss += residual * residual;
      tss += (target[i] - mean) * (target[i] - mean);
    }
    double r2 = tss > 0 ? 1 - rss / tss : (rss == 0 ? 1 : 0);
    return new Solution(theta, rss, r2, true);
  }

  /** Applies the reflection stored in column {@code j} (rows j..m) to column {@code c}. */
  private static void reflect(double[][] r, int j, int c, int m, double vNormSq) {
    double dot = 0;
    for (int i = j; i < m; i++) {
      dot += r[i][j] * r[i][c];
    }
    double scale = 2 * dot / vNormSq;
    for (int i = j; i < m; i++) {
      r[i][c] -= scale * r[i][j];
    }
  }
}
