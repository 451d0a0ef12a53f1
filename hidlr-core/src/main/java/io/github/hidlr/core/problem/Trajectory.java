package io.github.hidlr.core.problem;

import io.github.hidlr.core.tuner.ProbeReport;
import java.util.List;
import java.util.OptionalInt;

/**
 * A run of an optimizer on a plain problem: iterate {@code x_t}, loss {@code f(x_t)} for
 * {@code t = 0 … T} and the rates applied at each step.
 *
 * @param method a label for tables
 * @param points {@code x_0 … x_T}
 * @param losses {@code f(x_0) … f(x_T)}
 * @param rates the per-group rates applied at steps {@code 0 … T−1}
 * @param reports the tuner's probe reports (empty for fixed rates)
 */
public record Trajectory(
    String method,
    List<double[]> points,
    double[] losses,
    List<double[]> rates,
    List<ProbeReport> reports) {

  /** Copies the lists. */
  public Trajectory {
    points = List.copyOf(points);
    rates = List.copyOf(rates);
    reports = List.copyOf(reports);
    losses = losses.clone();
  }

  /**
   * The losses {@code f(x_0) … f(x_T)}.
   *
   * @return a copy
   */
  @Override
  public double[] losses() {
    return losses.clone();
  }

  /**
   * The first iteration {@code t} with {@code f(x_t) ≤ target}.
   *
   * @param target the loss to reach
   * @return {@code t}, or empty if never reached
   */
  public OptionalInt iterationsTo(double target) {
    for (int t = 0; t < losses.length; t++) {
      if (losses[t] <= target) {
        return OptionalInt.of(t);
      }
    }
    return OptionalInt.empty();
  }

  /**
   * The final loss {@code f(x_T)}.
   *
   * @return the last loss
   */
  public double finalLoss() {
    return losses[losses.length - 1];
  }

  /**
   * The final point {@code x_T}.
   *
   * @return a copy
   */
  public double[] finalPoint() {
    return points.get(points.size() - 1).clone();
  }
}
