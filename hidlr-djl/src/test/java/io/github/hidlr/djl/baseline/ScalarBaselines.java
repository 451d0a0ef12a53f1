package io.github.hidlr.djl.baseline;

import java.util.function.LongToDoubleFunction;

/**
 * The published update rules written out element by element in {@code double}, independently of
 * the NDArray code, over all parameters flattened into one vector (the methods sum over all of
 * them). Each follows the reference implementation named on it. After every step the weights are
 * rounded to {@code float}, as the model stores them, so that sums over tiny weight differences
 * (Prodigy's {@code ⟨g, w₀ − w⟩}, DoG's {@code ‖x − x₀‖}) see the same weights.
 */
final class ScalarBaselines {

  private ScalarBaselines() {}

  /** One method's state; {@link #step} updates the weights in place. */
  interface Rule {
    void step(double[] w, double[] g);

    /** What the optimizer reports as its effective learning rate after the step. */
    double effectiveRate();
  }

  static void roundToFloat(double[] w) {
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) w[i];
    }
  }

  /** prodigyopt.Prodigy (1.1.x). {@code lrAt(k)} is the scheduled lr of step k. */
  static Rule prodigy(
      LongToDoubleFunction lrAt,
      double beta1,
      double beta2,
      double beta3,
      double eps,
      double weightDecay,
      boolean decouple,
      boolean biasCorrection,
      boolean safeguardWarmup,
      double d0,
      double dCoef,
      double growthRate) {
    return new Rule() {
      double d = d0;
      double dMax = d0;
      double dNumerator;
      long k;
      long steps;
      double[] m;
      double[] v;
      double[] s;
      double[] p0;

      double bc(long step) {
        return biasCorrection
            ? Math.sqrt(1 - Math.pow(beta2, step + 1)) / (1 - Math.pow(beta1, step + 1))
            : 1;
      }

      @Override
      public void step(double[] w, double[] grad) {
        int n = w.length;
        if (m == null) {
          m = new double[n];
          v = new double[n];
          s = new double[n];
          p0 = w.clone();
        }
        double lr = lrAt.applyAsDouble(steps++);
        double[] g = grad.clone();
        if (weightDecay != 0 && !decouple) {
          for (int i = 0; i < n; i++) {
            g[i] += weightDecay * w[i];
          }
        }
        double dlr = d * lr * bc(k);
        double numerator = dNumerator * beta3;
        double delta = 0;
        double denom = 0;
        if (lr > 0) {
          for (int i = 0; i < n; i++) {
            delta += (d / d0) * dlr * g[i] * (p0[i] - w[i]);
          }
          for (int i = 0; i < n; i++) {
            m[i] = beta1 * m[i] + d * (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + d * d * (1 - beta2) * g[i] * g[i];
            s[i] = beta3 * s[i] + (d / d0) * (safeguardWarmup ? d : dlr) * g[i];
            denom += Math.abs(s[i]);
          }
        }
        if (denom == 0) {
          return;
        }
        double global = numerator + delta;
        double dHat = dCoef * global / denom;
        if (d == d0) {
          d = Math.max(d, dHat);
        }
        dMax = Math.max(dMax, dHat);
        d = Math.min(dMax, d * growthRate);
        dNumerator = global;
        for (int i = 0; i < n; i++) {
          double den = Math.sqrt(v[i]) + d * eps;
          if (weightDecay != 0 && decouple) {
            w[i] -= weightDecay * dlr * w[i];
          }
          w[i] -= dlr * m[i] / den;
        }
        roundToFloat(w);
        k++;
      }

      @Override
      public double effectiveRate() {
        return d * lrAt.applyAsDouble(steps) * bc(k);
      }
    };
  }

  /** dadaptation.DAdaptAdam (3.x). */
  static Rule dAdaptAdam(
      LongToDoubleFunction lrAt,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean decouple,
      boolean biasCorrection,
      double d0,
      double growthRate) {
    return new Rule() {
      double d = d0;
      double numeratorWeighted;
      long k;
      long steps;
      double[] m;
      double[] v;
      double[] s;

      double bc(long step) {
        return biasCorrection
            ? Math.sqrt(1 - Math.pow(beta2, step + 1)) / (1 - Math.pow(beta1, step + 1))
            : 1;
      }

      @Override
      public void step(double[] w, double[] grad) {
        int n = w.length;
        if (m == null) {
          m = new double[n];
          v = new double[n];
          s = new double[n];
        }
        double lr = lrAt.applyAsDouble(steps++);
        double[] g = grad.clone();
        if (weightDecay != 0 && !decouple) {
          for (int i = 0; i < n; i++) {
            g[i] += weightDecay * w[i];
          }
        }
        double dlr = d * lr * bc(k);
        double sqrtBeta2 = Math.sqrt(beta2);
        double accumulated = 0;
        double l1 = 0;
        if (lr > 0) {
          for (int i = 0; i < n; i++) {
            double den = Math.sqrt(v[i]) + eps;
            accumulated += dlr * g[i] * s[i] / den;
            m[i] = beta1 * m[i] + dlr * (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            s[i] = sqrtBeta2 * s[i] + dlr * (1 - sqrtBeta2) * g[i];
            l1 += Math.abs(s[i]);
          }
        }
        if (l1 == 0) {
          return;
        }
        double weighted = sqrtBeta2 * numeratorWeighted + (1 - sqrtBeta2) * accumulated;
        double dHat = weighted / ((1 - sqrtBeta2) * l1);
        d = Math.max(d, Math.min(dHat, d * growthRate));
        numeratorWeighted = weighted;
        for (int i = 0; i < n; i++) {
          double den = Math.sqrt(v[i]) + eps;
          if (weightDecay != 0 && decouple) {
            w[i] -= weightDecay * dlr * w[i];
          }
          w[i] -= m[i] / den;
        }
        roundToFloat(w);
        k++;
      }

      @Override
      public double effectiveRate() {
        return d * lrAt.applyAsDouble(steps) * bc(k);
      }
    };
  }

  /** dog.DoG (1.1.0) with dog.PolynomialDecayAverager; {@code average} receives x̄. */
  static Rule dog(
      double lr, double repsRel, double eps, double weightDecay, double initEta, double gamma,
      double[] average) {
    return new Rule() {
      double[] x0;
      double rbar;
      double gSum;
      double eta = Double.NaN;
      int t;

      @Override
      public void step(double[] w, double[] grad) {
        int n = w.length;
        double[] g = grad.clone();
        if (weightDecay > 0) {
          for (int i = 0; i < n; i++) {
            g[i] += weightDecay * w[i];
          }
        }
        double gradSq = 0;
        for (double gi : g) {
          gradSq += gi * gi;
        }
        if (x0 == null) {
          x0 = w.clone();
          double norm = 0;
          for (double wi : w) {
            norm += wi * wi;
          }
          double rel = Double.isNaN(initEta) ? repsRel : 0;
          rbar = rel * (1 + Math.sqrt(norm));
          gSum = gradSq + eps;
          eta = Double.isNaN(initEta) ? lr * rbar / Math.sqrt(gSum) : initEta;
        } else {
          double dist = 0;
          for (int i = 0; i < n; i++) {
            dist += (w[i] - x0[i]) * (w[i] - x0[i]);
          }
          rbar = Math.max(rbar, Math.sqrt(dist));
          gSum += gradSq;
          eta = lr * rbar / Math.sqrt(gSum);
        }
        for (int i = 0; i < n; i++) {
          w[i] -= eta * g[i];
        }
        roundToFloat(w);
        t++;
        double c = (gamma + 1) / (gamma + t);
        for (int i = 0; i < n; i++) {
          average[i] = (1 - c) * average[i] + c * w[i];
        }
      }

      @Override
      public double effectiveRate() {
        return eta;
      }
    };
  }

  /**
   * schedulefree.AdamWScheduleFree (no inner momentum); {@code x} receives the evaluation sequence
   * computed by its own recursion {@code x ← (1 − c)·x + c·z}, not by {@code eval()}.
   */
  static Rule scheduleFree(
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      int warmupSteps,
      double r,
      double weightLrPower,
      double[] x) {
    return new Rule() {
      double[] z;
      double[] v;
      double lrMax = -1;
      double weightSum;
      long k;

      double lrOf(long step) {
        return lr * (step < warmupSteps ? (step + 1.0) / warmupSteps : 1.0);
      }

      @Override
      public void step(double[] y, double[] g) {
        int n = y.length;
        if (z == null) {
          z = y.clone();
          v = new double[n];
          System.arraycopy(y, 0, x, 0, n);
        }
        double lrK = lrOf(k);
        double bc2 = 1 - Math.pow(beta2, k + 1);
        lrMax = Math.max(lrK, lrMax);
        double weight = Math.pow(k + 1, r) * Math.pow(lrMax, weightLrPower);
        weightSum += weight;
        double c = weightSum == 0 ? 0 : weight / weightSum;
        for (int i = 0; i < n; i++) {
          v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
          double gn = g[i] / (Math.sqrt(v[i] / bc2) + eps) + weightDecay * y[i];
          y[i] = y[i] + c * (z[i] - y[i]) + lrK * (beta1 * (1 - c) - 1) * gn;
          z[i] -= lrK * gn;
          x[i] = (1 - c) * x[i] + c * z[i];
        }
        roundToFloat(y);
        k++;
      }

      @Override
      public double effectiveRate() {
        return lrOf(k);
      }
    };
  }

  /**
   * torch.optim.Adam / AdamW at a rate {@code scale(i, t)·lr} per element {@code i} and step
   * {@code t}: what a schedule and LoRA+ scale rules do to hidlr's Adam.
   */
  static Rule scaledAdam(
      double lr,
      double beta1,
      double beta2,
      double eps,
      double decoupledWeightDecay,
      LongToDoubleFunction multiplier,
      double[] elementScale) {
    return new Rule() {
      double[] m;
      double[] v;
      long t;

      @Override
      public void step(double[] w, double[] g) {
        int n = w.length;
        if (m == null) {
          m = new double[n];
          v = new double[n];
        }
        t++;
        double rate = lr * multiplier.applyAsDouble(t - 1);
        for (int i = 0; i < n; i++) {
          m[i] = beta1 * m[i] + (1 - beta1) * g[i];
          v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
          double mHat = m[i] / (1 - Math.pow(beta1, t));
          double vHat = v[i] / (1 - Math.pow(beta2, t));
          double d = mHat / (Math.sqrt(vHat) + eps) + decoupledWeightDecay * w[i];
          w[i] -= elementScale[i] * rate * d;
        }
        roundToFloat(w);
      }

      @Override
      public double effectiveRate() {
        return lr * multiplier.applyAsDouble(t);
      }
    };
  }
}
