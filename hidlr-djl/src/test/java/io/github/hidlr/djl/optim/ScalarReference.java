package io.github.hidlr.djl.optim;

/**
 * The published update rules written out element by element in {@code double}, independently of the
 * NDArray code, to check the optimizers against. Each follows the pseudo-code of the matching
 * {@code torch.optim} page; hyperparameters are the same {@code float}s the optimizers get.
 */
final class ScalarReference {

  private ScalarReference() {}

  /** One optimizer's state over a fixed number of weights; {@link #step} updates in place. */
  interface Rule {
    void step(double[] w, double[] g);
  }

  private static double[] preprocess(double[] g, double rescale, double clip) {
    double[] out = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      double v = g[i] * rescale;
      out[i] = clip > 0 ? Math.max(-clip, Math.min(clip, v)) : v;
    }
    return out;
  }

  /** torch.optim.SGD. */
  static Rule sgd(
      double lr,
      double momentum,
      double dampening,
      boolean nesterov,
      double weightDecay,
      double rescale,
      double clip) {
    return new Rule() {
      double[] buf;

      @Override
      public void step(double[] w, double[] grad) {
        double[] g = preprocess(grad, rescale, clip);
        boolean first = buf == null;
        if (first) {
          buf = new double[w.length];
        }
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + weightDecay * w[i];
          if (momentum != 0) {
            buf[i] = first ? gi : momentum * buf[i] + (1 - dampening) * gi;
            gi = nesterov ? gi + momentum * buf[i] : buf[i];
          }
          w[i] -= lr * gi;
        }
      }
    };
  }

  /** torch.optim.RMSprop. */
  static Rule rmsProp(
      double lr, double alpha, double eps, double momentum, boolean centered, double weightDecay) {
    return new Rule() {
      double[] v;
      double[] gAvg;
      double[] buf;

      @Override
      public void step(double[] w, double[] g) {
        if (v == null) {
          v = new double[w.length];
          gAvg = new double[w.length];
          buf = new double[w.length];
        }
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + weightDecay * w[i];
          v[i] = alpha * v[i] + (1 - alpha) * gi * gi;
          double avg;
          if (centered) {
            gAvg[i] = alpha * gAvg[i] + (1 - alpha) * gi;
            avg = Math.sqrt(v[i] - gAvg[i] * gAvg[i]) + eps;
          } else {
            avg = Math.sqrt(v[i]) + eps;
          }
          if (momentum > 0) {
            buf[i] = momentum * buf[i] + gi / avg;
            w[i] -= lr * buf[i];
          } else {
            w[i] -= lr * gi / avg;
          }
        }
      }
    };
  }

  /** torch.optim.Adagrad with lr_decay 0. */
  static Rule adagrad(double lr, double eps, double initialAccumulator, double weightDecay) {
    return new Rule() {
      double[] sum;

      @Override
      public void step(double[] w, double[] g) {
        if (sum == null) {
          sum = new double[w.length];
          java.util.Arrays.fill(sum, initialAccumulator);
        }
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + weightDecay * w[i];
          sum[i] += gi * gi;
          w[i] -= lr * gi / (Math.sqrt(sum[i]) + eps);
        }
      }
    };
  }

  /** torch.optim.Adam ({@code decoupled=false}) and torch.optim.AdamW ({@code true}). */
  static Rule adam(
      double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    return new Rule() {
      double[] m;
      double[] v;
      int t;

      @Override
      public void step(double[] w, double[] g) {
        if (m == null) {
          m = new double[w.length];
          v = new double[w.length];
        }
        t++;
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < w.length; i++) {
          double gi = g[i];
          if (decoupled) {
            w[i] *= 1 - lr * weightDecay;
          } else {
            gi += weightDecay * w[i];
          }
          m[i] = beta1 * m[i] + (1 - beta1) * gi;
          v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
          double denom = Math.sqrt(v[i]) / Math.sqrt(bias2) + eps;
          w[i] -= lr / bias1 * m[i] / denom;
        }
      }
    };
  }
}
