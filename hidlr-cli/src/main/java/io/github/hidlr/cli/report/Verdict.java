package io.github.hidlr.cli.report;

import java.util.List;
import java.util.Locale;

/**
 * Hi-DLR against the best method that is not Hi-DLR on one task: win, tie, loss or diverged,
 * with the margin. One rule for the report's scoreboard and for {@code hidlr study}.
 *
 * <p>The metric is test accuracy (higher is better) when the task has one, else test loss,
 * else iterations to tolerance (lower is better). A difference counts as a tie when it is within the noise: with two or
 * more seeds, within the larger of the two seeds' standard deviations; with any number of
 * seeds, within the fixed thresholds {@value #ACCURACY_TIE} accuracy, {@value #LOSS_TIE_RELATIVE}
 * of the baseline's loss, or both losses below {@value #FLOAT_FLOOR} (the float floor). A
 * diverged Hi-DLR run on any seed is a divergence, whatever its metric.
 *
 * @param outcome the outcome
 * @param metric what is compared, e.g. {@code "test accuracy"}
 * @param higherIsBetter whether the metric is an accuracy
 * @param candidate Hi-DLR's metric over seeds
 * @param baseline the baseline's metric over seeds
 * @param baselineName the baseline method, e.g. {@code prodigy}
 */
public record Verdict(Outcome outcome, String metric, boolean higherIsBetter, Stat candidate, Stat baseline,
    String baselineName) {

  /** Accuracy differences at or below this are ties. */
  public static final double ACCURACY_TIE = 0.005;
  /** Loss differences at or below this fraction of the baseline's loss are ties. */
  public static final double LOSS_TIE_RELATIVE = 0.05;
  /** Losses both below this are at the float floor: a tie. */
  public static final double FLOAT_FLOOR = 1e-10;

  /** How Hi-DLR fared. */
  public enum Outcome {
    /** Better by more than the noise. */
    WIN,
    /** Within the noise. */
    TIE,
    /** Worse by more than the noise. */
    LOSS,
    /** Hi-DLR diverged on at least one seed. */
    DIVERGED;

    /**
     * Lower-case label for tables.
     *
     * @return e.g. {@code "win"}
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Mean and sample standard deviation of a metric over seeds.
   *
   * @param mean the mean of the finite values (NaN if none)
   * @param std the sample standard deviation (0 for one value)
   * @param n how many finite values
   */
  public record Stat(double mean, double std, int n) {

    /**
     * The statistics of some values; non-finite values are left out.
     *
     * @param values the values
     * @return their statistics
     */
    public static Stat of(List<Double> values) {
      double sum = 0;
      int n = 0;
      for (Double v : values) {
        if (v != null && Double.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      if (n == 0) {
        return new Stat(Double.NaN, Double.NaN, 0);
      }
      double mean = sum / n;
      double sq = 0;
      for (Double v : values) {
        if (v != null && Double.isFinite(v)) {
          sq += (v - mean) * (v - mean);
        }
      }
      return new Stat(mean, n > 1 ? Math.sqrt(sq / (n - 1)) : 0, n);
    }

    @Override
    public String toString() {
      String format = Math.abs(mean) >= 1e-3 && Math.abs(mean) < 1e4 ? "%.4f" : "%.3e";
      String m = String.format(Locale.ROOT, format, mean);
      return n > 1 ? m + " ± " + String.format(Locale.ROOT, "%.2g", std) : m;
    }
  }

  /**
   * Judges Hi-DLR against a baseline.
   *
   * @param metric what is compared, e.g. {@code "test loss"}
   * @param higherIsBetter true for an accuracy, false for a loss
   * @param candidate Hi-DLR's metric per seed
   * @param candidateDiverged whether Hi-DLR diverged on any seed
   * @param baseline the baseline's metric per seed
   * @param baselineName the baseline's name
   * @return the verdict
   */
  public static Verdict judge(String metric, boolean higherIsBetter, List<Double> candidate,
      boolean candidateDiverged, List<Double> baseline, String baselineName) {
    Stat c = Stat.of(candidate);
    Stat b = Stat.of(baseline);
    if (candidateDiverged || c.n() < candidate.size() || c.n() == 0) {
      return new Verdict(Outcome.DIVERGED, metric, higherIsBetter, c, b, baselineName);
    }
    double better = higherIsBetter ? c.mean() - b.mean() : b.mean() - c.mean();
    double noise = c.n() > 1 && b.n() > 1 ? Math.max(c.std(), b.std()) : 0;
    double fixed = higherIsBetter ? ACCURACY_TIE : LOSS_TIE_RELATIVE * Math.abs(b.mean());
    boolean floor = !higherIsBetter && Math.abs(c.mean()) < FLOAT_FLOOR
        && Math.abs(b.mean()) < FLOAT_FLOOR;
    Outcome outcome;
    if (b.n() == 0) {
      outcome = Outcome.WIN;
    } else if (floor || Math.abs(better) <= Math.max(noise, fixed)) {
      outcome = Outcome.TIE;
    } else {
      outcome = better > 0 ? Outcome.WIN : Outcome.LOSS;
    }
    return new Verdict(outcome, metric, higherIsBetter, c, b, baselineName);
  }

  /**
   * Hi-DLR against the baseline, as text: accuracy points ({@code +0.0195}: Hi-DLR higher),
   * or Hi-DLR's loss as a multiple of the baseline's ({@code ×0.98}: lower, {@code ×4.4}:
   * higher).
   *
   * @return the margin
   */
  public String margin() {
    if (Double.isNaN(candidate.mean()) || Double.isNaN(baseline.mean())) {
      return "–";
    }
    if (higherIsBetter) {
      return String.format(Locale.ROOT, "%+.4f", candidate.mean() - baseline.mean());
    }
    return String.format(Locale.ROOT, "×%.3g", candidate.mean() / baseline.mean());
  }

  /**
   * The rule, in words, for the top of a table.
   *
   * @param seeds how many seeds
   * @return the sentence
   */
  public static String rule(int seeds) {
    String fixed = String.format(Locale.ROOT, "accuracy within %.3f, loss within %.0f%%, or both"
        + " losses below %.0e (the float floor)", ACCURACY_TIE, 100 * LOSS_TIE_RELATIVE,
        FLOAT_FLOOR);
    return seeds > 1 ? "A tie is a difference within the seeds' spread (the larger standard"
        + " deviation over " + seeds + " seeds) or within the fixed thresholds: " + fixed + "."
        : "One seed: a tie is a difference within the fixed thresholds: " + fixed + ".";
  }
}
