package io.github.hidlr.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * A seeded classification problem for the DJL tests: six Gaussian features, three classes, the
 * class the argmax of {@code x_c − ½ x_(c+3)}.
 */
public final class ThreeClasses {

  /** Input features. */
  public static final int FEATURES = 6;
  /** Classes. */
  public static final int CLASSES = 3;

  private ThreeClasses() {}

  /**
   * Inputs and labels.
   *
   * @param manager where the arrays live
   * @param n examples
   * @param seed the data's seed
   * @return {@code {x [n, 6], y [n]}}
   */
  public static NDArray[] data(NDManager manager, int n, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[n][FEATURES];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      for (int c = 0; c < CLASSES; c++) {
        double score = x[i][c] - 0.5 * x[i][c + 3];
        if (score > best) {
          best = score;
          y[i] = c;
        }
      }
    }
    return new NDArray[] {manager.create(x), manager.create(y)};
  }
}
