package io.github.hidlr.core.tuner;

import java.util.Arrays;

/**
 * Everything a {@link HiDlrTuner} remembers between steps, per group in layout order. Saved
 * with checkpoints ({@link io.github.hidlr.core.state.TunerStateFormat}) so that a resumed
 * run follows the same trajectory. The arrays are copied in and out.
 *
 * @param step the next step {@code t}
 * @param probes probes run so far (seeds the next REGRESSION design)
 * @param estimates {@code ê_k}
 * @param momentA the CDAT moment EMA {@code ā_k} (0 until a valid fit)
 * @param momentB the CDAT moment EMA {@code b̄_k}
 * @param probeScale the factor {@code h_k / ê_k} of the next probe: 1 normally, enlarged
 *     while the curvature stays below the loss arithmetic's resolution
 * @param frozen whether group {@code k} was frozen by influence
 * @param lowInfluenceStreak consecutive valid probes with {@code PPI_k} below the threshold
 */
public record TunerState(
    long step,
    long probes,
    double[] estimates,
    double[] momentA,
    double[] momentB,
    double[] probeScale,
    boolean[] frozen,
    int[] lowInfluenceStreak) {

  /** Validates lengths and values, and copies the arrays. */
  public TunerState {
    int k = estimates.length;
    if (momentA.length != k || momentB.length != k || probeScale.length != k || frozen.length != k
        || lowInfluenceStreak.length != k) {
      throw new IllegalArgumentException("tuner state arrays disagree on the number of groups: "
          + k + ", " + momentA.length + ", " + momentB.length + ", " + probeScale.length + ", "
          + frozen.length + ", "
          + lowInfluenceStreak.length);
    }
    if (step < 0 || probes < 0) {
      throw new IllegalArgumentException(
          "tuner state step " + step + " and probes " + probes + " must be ≥ 0");
    }
    for (int i = 0; i < k; i++) {
      if (!(estimates[i] > 0) || !Double.isFinite(estimates[i])) {
        throw new IllegalArgumentException(
            "tuner state estimate ê_" + i + " = " + estimates[i] + " must be finite and > 0");
      }
    }
    for (int i = 0; i < k; i++) {
      if (!(probeScale[i] >= 1) || !Double.isFinite(probeScale[i])) {
        throw new IllegalArgumentException(
            "tuner state probe scale " + i + " = " + probeScale[i] + " must be finite and ≥ 1");
      }
    }
    estimates = estimates.clone();
    probeScale = probeScale.clone();
    momentA = momentA.clone();
    momentB = momentB.clone();
    frozen = frozen.clone();
    lowInfluenceStreak = lowInfluenceStreak.clone();
  }

  /**
   * A copy of {@code ê}.
   *
   * @return the estimates
   */
  @Override
  public double[] estimates() {
    return estimates.clone();
  }

  /**
   * A copy of {@code ā}.
   *
   * @return the moment EMA of {@code a}
   */
  @Override
  public double[] momentA() {
    return momentA.clone();
  }

  /**
   * A copy of {@code b̄}.
   *
   * @return the moment EMA of {@code b}
   */
  @Override
  public double[] momentB() {
    return momentB.clone();
  }

  /**
   * A copy of the probe scales.
   *
   * @return {@code h_k / ê_k} per group
   */
  @Override
  public double[] probeScale() {
    return probeScale.clone();
  }

  /**
   * A copy of the frozen flags.
   *
   * @return the flags
   */
  @Override
  public boolean[] frozen() {
    return frozen.clone();
  }

  /**
   * A copy of the low-influence streaks.
   *
   * @return the streaks
   */
  @Override
  public int[] lowInfluenceStreak() {
    return lowInfluenceStreak.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TunerState that
        && step == that.step
        && probes == that.probes
        && Arrays.equals(estimates, that.estimates)
        && Arrays.equals(momentA, that.momentA)
        && Arrays.equals(momentB, that.momentB)
        && Arrays.equals(probeScale, that.probeScale)
        && Arrays.equals(frozen, that.frozen)
        && Arrays.equals(lowInfluenceStreak, that.lowInfluenceStreak);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(step) * 31 + Arrays.hashCode(estimates);
  }

  @Override
  public String toString() {
    return "TunerState[step=" + step + ", probes=" + probes + ", estimates="
        + Arrays.toString(estimates) + ", frozen=" + Arrays.toString(frozen) + "]";
  }
}
