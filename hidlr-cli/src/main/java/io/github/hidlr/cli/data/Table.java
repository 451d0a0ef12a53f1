package io.github.hidlr.cli.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A regression table: named numeric features and one target per row.
 *
 * <p>Immutable: the constructor copies its arrays and the accessors return copies (the tables
 * are small: Boston is 506 × 13, diabetes 442 × 10).
 *
 * @param featureNames one name per feature column
 * @param x the features, one row per sample, each row as long as {@code featureNames}
 * @param y the target, one value per row of {@code x}
 */
public record Table(List<String> featureNames, double[][] x, double[] y) {

  /**
   * Validates the shape and copies everything.
   *
   * @throws IllegalArgumentException when a row's length differs from the number of names, the
   *     row and target counts differ, or a value is not finite
   */
  public Table {
    featureNames = List.copyOf(featureNames);
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.length != y.length) {
      throw new IllegalArgumentException(x.length + " feature rows but " + y.length
          + " target values");
    }
    double[][] copy = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != featureNames.size()) {
        throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values but"
            + " there are " + featureNames.size() + " feature names " + featureNames);
      }
      copy[i] = x[i].clone();
      for (int j = 0; j < copy[i].length; j++) {
        if (!Double.isFinite(copy[i][j])) {
          throw new IllegalArgumentException("feature " + featureNames.get(j) + " of row " + i
              + " is " + copy[i][j] + ", not a finite number");
        }
      }
    }
    for (int i = 0; i < y.length; i++) {
      if (!Double.isFinite(y[i])) {
        throw new IllegalArgumentException("target of row " + i + " is " + y[i]
            + ", not a finite number");
      }
    }
    x = copy;
    y = y.clone();
  }

  /**
   * The features.
   *
   * @return a copy, one row per sample
   */
  @Override
  public double[][] x() {
    double[][] copy = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      copy[i] = x[i].clone();
    }
    return copy;
  }

  /**
   * The target.
   *
   * @return a copy
   */
  @Override
  public double[] y() {
    return y.clone();
  }

  /**
   * The number of rows (samples).
   *
   * @return e.g. 506
   */
  public int rows() {
    return y.length;
  }

  /**
   * The number of features.
   *
   * @return e.g. 13
   */
  public int features() {
    return featureNames.size();
  }

  /**
   * One feature value.
   *
   * @param row the row
   * @param feature the feature column
   * @return the value
   */
  public double value(int row, int feature) {
    return x[row][feature];
  }

  /**
   * One target value.
   *
   * @param row the row
   * @return the value
   */
  public double target(int row) {
    return y[row];
  }

  /**
   * The same table with every feature column centred and divided by its Euclidean norm (after
   * centring), the target untouched: what scikit-learn's {@code load_diabetes()} returns by
   * default ({@code scale(x) / sqrt(n)}, population standard deviation). A constant column
   * becomes zeros, as in scikit-learn.
   *
   * @return a new table
   */
  public Table centeredUnitNorm() {
    int n = x.length;
    int p = featureNames.size();
    double[][] out = new double[n][p];
    for (int j = 0; j < p; j++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[j];
      }
      mean /= Math.max(n, 1);
      double sq = 0;
      for (double[] row : x) {
        sq += (row[j] - mean) * (row[j] - mean);
      }
      double norm = sq > 0 ? Math.sqrt(sq) : 1;
      for (int i = 0; i < n; i++) {
        out[i][j] = (x[i][j] - mean) / norm;
      }
    }
    return new Table(featureNames, out, y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Table t && featureNames.equals(t.featureNames)
        && Arrays.deepEquals(x, t.x) && Arrays.equals(y, t.y);
  }

  @Override
  public int hashCode() {
    return Objects.hash(featureNames, Arrays.deepHashCode(x), Arrays.hashCode(y));
  }

  @Override
  public String toString() {
    return "Table[" + rows() + " rows × " + features() + " features " + featureNames + "]";
  }
}
