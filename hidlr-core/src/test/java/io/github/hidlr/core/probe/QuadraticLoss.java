package io.github.hidlr.core.probe;

import java.util.Random;

/**
 * A loss that is exactly the quadratic model {@code L(ξ) = c − bᵀξ + ½ ξᵀ A ξ} along the
 * displacement, with optional Gaussian noise: the problem with a known answer for the fits.
 */
public final class QuadraticLoss implements LossProbe {
  final double c;
  final double[] b;
  final double[][] a;
  private final double noise;
  private final Random random;
  private final LossPrecision precision;
  int evaluations;

  public QuadraticLoss(double c, double[] b, double[][] a, double noise, long seed,
      LossPrecision precision) {
    this.c = c;
    this.b = b;
    this.a = a;
    this.noise = noise;
    this.random = new Random(seed);
    this.precision = precision;
  }

  /** A random quadratic with positive-definite {@code A} (diagonally dominant). */
  public static QuadraticLoss random(int k, long seed, boolean coupled) {
    Random r = new Random(seed);
    double[] b = new double[k];
    double[][] a = new double[k][k];
    for (int i = 0; i < k; i++) {
      b[i] = 0.1 + r.nextDouble() * 5;
      a[i][i] = Math.exp(r.nextGaussian());
    }
    if (coupled) {
      for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++) {
          double v = (r.nextDouble() - 0.5) * Math.sqrt(a[i][i] * a[j][j]) / k;
          a[i][j] = v;
          a[j][i] = v;
        }
      }
    }
    return new QuadraticLoss(r.nextDouble(), b, a, 0, seed, LossPrecision.FLOAT64);
  }

  public QuadraticLoss withNoise(double sigma, long seed) {
    return new QuadraticLoss(c, b, a, sigma, seed, precision);
  }

  @Override
  public double loss(double[] xi) {
    evaluations++;
    double value = c;
    for (int j = 0; j < b.length; j++) {
      value -= b[j] * xi[j];
      for (int k = 0; k < b.length; k++) {
        value += 0.5 * a[j][k] * xi[j] * xi[k];
      }
    }
    return noise > 0 ? value + noise * random.nextGaussian() : value;
  }

  @Override
  public LossPrecision precision() {
    return precision;
  }

  public double[] diagonal() {
    double[] d = new double[b.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = a[i][i];
    }
    return d;
  }
}
