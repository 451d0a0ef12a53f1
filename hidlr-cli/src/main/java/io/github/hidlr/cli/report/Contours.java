package io.github.hidlr.cli.report;

import java.util.function.DoubleBinaryOperator;

/**
 * Contour lines as point clouds: on a grid, every cell edge where {@code f − level} changes
 * sign contributes the linearly interpolated crossing (the edge pass of marching squares).
 * Drawn as small dots, the crossings trace the level sets.
 */
final class Contours {

  private Contours() {}

  static double[][] points(DoubleBinaryOperator f, double[] bounds, double[] levels, int grid) {
    double[][] values = new double[grid + 1][grid + 1];
    double dx = (bounds[1] - bounds[0]) / grid;
    double dy = (bounds[3] - bounds[2]) / grid;
    for (int i = 0; i <= grid; i++) {
      for (int j = 0; j <= grid; j++) {
        values[i][j] = f.applyAsDouble(bounds[0] + i * dx, bounds[2] + j * dy);
      }
    }
    java.util.List<double[]> points = new java.util.ArrayList<>();
    for (double level : levels) {
      for (int i = 0; i <= grid; i++) {
        for (int j = 0; j <= grid; j++) {
          double v = values[i][j] - level;
          if (i < grid) {
            double w = values[i + 1][j] - level;
            if (v * w < 0) {
              double t = v / (v - w);
              points.add(new double[] {bounds[0] + (i + t) * dx, bounds[2] + j * dy});
            }
          }
          if (j < grid) {
            double w = values[i][j + 1] - level;
            if (v * w < 0) {
              double t = v / (v - w);
              points.add(new double[] {bounds[0] + i * dx, bounds[2] + (j + t) * dy});
            }
          }
        }
      }
    }
    double[][] out = new double[2][points.size()];
    for (int k = 0; k < points.size(); k++) {
      out[0][k] = points.get(k)[0];
      out[1][k] = points.get(k)[1];
    }
    return out;
  }
}
