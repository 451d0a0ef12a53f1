package io.github.hidlr.cli.study;

import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.report.Verdict;
import io.github.hidlr.cli.training.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The analysis of a policy study: for each task and each policy, the policy's metric over
 * seeds against the best method that is not Hi-DLR (chosen by its mean over the same seeds),
 * as a {@link Verdict}; and per policy the tally of wins, ties, losses and divergences.
 *
 * <p>Methods that are not Hi-DLR are those whose name neither starts with {@code hi-} nor is
 * the name of a named policy ({@link Policy#all()}, studied or not): grid rates, schedules,
 * Prodigy, D-Adaptation, LoRA+, manual DLR.
 *
 * @param seeds the seeds
 * @param policies the policies, in order
 * @param tasks the tasks judged, in order
 * @param verdicts per task, per policy name
 */
public record PolicyStudy(List<Long> seeds, List<Policy> policies, List<String> tasks,
    Map<String, Map<String, Verdict>> verdicts) {

  /**
   * Judges every policy on every task that ran it.
   *
   * @param seeds the seeds, in the order of {@code rowsPerSeed}
   * @param rowsPerSeed every result row of every experiment, one list per seed
   * @param policies the policies studied
   * @return the analysis
   */
  public static PolicyStudy analyse(List<Long> seeds, List<List<ResultRow>> rowsPerSeed,
      List<Policy> policies) {
    Set<String> policyNames = new LinkedHashSet<>();
    policies.forEach(p -> policyNames.add(p.name()));
    Set<String> hiDlrNames = new LinkedHashSet<>(policyNames);
    Policy.all().forEach(p -> hiDlrNames.add(p.name()));
    // task → method → one row per seed
    Map<String, Map<String, List<ResultRow>>> byTask = new LinkedHashMap<>();
    for (List<ResultRow> rows : rowsPerSeed) {
      for (ResultRow row : rows) {
        byTask.computeIfAbsent(row.task(), t -> new LinkedHashMap<>())
            .computeIfAbsent(baseName(row.method()), m -> new ArrayList<>()).add(row);
      }
    }
    List<String> tasks = new ArrayList<>();
    Map<String, Map<String, Verdict>> verdicts = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, List<ResultRow>>> task : byTask.entrySet()) {
      Map<String, List<ResultRow>> methods = task.getValue();
      if (methods.keySet().stream().noneMatch(policyNames::contains)) {
        continue;
      }
      ResultRow sample = methods.values().iterator().next().get(0);
      Metric metric = Metric.of(sample);
      if (metric == null) {
        continue;
      }
      boolean accuracy = metric == Metric.ACCURACY;
      String best = null;
      double bestMean = Double.NaN;
      for (Map.Entry<String, List<ResultRow>> m : methods.entrySet()) {
        if (m.getKey().startsWith("hi-") || hiDlrNames.contains(m.getKey())) {
          continue;
        }
        double mean = Verdict.Stat.of(metric.values(m.getValue())).mean();
        if (Double.isFinite(mean) && (best == null
            || (accuracy ? mean > bestMean : mean < bestMean))) {
          best = m.getKey();
          bestMean = mean;
        }
      }
      List<Double> baseline = best == null ? List.of() : metric.values(methods.get(best));
      Map<String, Verdict> perPolicy = new LinkedHashMap<>();
      for (Policy policy : policies) {
        List<ResultRow> rows = methods.get(policy.name());
        if (rows == null) {
          continue;
        }
        perPolicy.put(policy.name(), Verdict.judge(metric.label, accuracy, metric.values(rows),
            rows.stream().anyMatch(ResultRow::isDiverged), baseline,
            best == null ? "none" : best));
      }
      tasks.add(task.getKey());
      verdicts.put(task.getKey(), perPolicy);
    }
    return new PolicyStudy(List.copyOf(seeds), List.copyOf(policies), tasks, verdicts);
  }

  /**
   * How often a policy won, tied, lost or diverged, over the tasks.
   *
   * @param policy the policy's name
   * @return counts indexed by {@link Verdict.Outcome#ordinal()}
   */
  public int[] tally(String policy) {
    int[] counts = new int[Verdict.Outcome.values().length];
    for (Map<String, Verdict> perPolicy : verdicts.values()) {
      Verdict v = perPolicy.get(policy);
      if (v != null) {
        counts[v.outcome().ordinal()]++;
      }
    }
    return counts;
  }

  /**
   * The verdicts as a markdown table: per task, the best non-Hi-DLR method with its metric,
   * then per policy its metric and verdict (and, if asked, the margin).
   *
   * @param margins whether to add a margin column per policy
   * @return the table, ending with a newline
   */
  public String table(boolean margins) {
    StringBuilder md = new StringBuilder("| task | best non-Hi-DLR |");
    for (Policy p : policies) {
      md.append(' ').append(p.name()).append(margins ? " | margin |" : " |");
    }
    md.append("\n| --- | --- |").append((margins ? " --- | --- |" : " --- |")
        .repeat(policies.size())).append('\n');
    for (String task : tasks) {
      Map<String, Verdict> perPolicy = verdicts.get(task);
      Verdict any = perPolicy.values().iterator().next();
      md.append("| ").append(task).append(" | ").append(any.baselineName()).append(' ')
          .append(any.baseline()).append(" |");
      for (Policy p : policies) {
        Verdict v = perPolicy.get(p.name());
        md.append(' ').append(v == null ? "–" : v.candidate() + " **" + v.outcome().label()
            + "**").append(" |");
        if (margins) {
          md.append(' ').append(v == null ? "–" : v.margin()).append(" |");
        }
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** {@code "ulr-best (ulr 0.01)"} → {@code "ulr-best"}. */
  public static String baseName(String method) {
    int space = method.indexOf(" (");
    return space < 0 ? method : method.substring(0, space);
  }

  /** What a task is judged on: the first the rows carry. */
  private enum Metric {
    ACCURACY("test accuracy"),
    TEST_LOSS("test loss"),
    ITERATIONS("iterations to tolerance");

    private final String label;

    Metric(String label) {
      this.label = label;
    }

    static Metric of(ResultRow row) {
      return row.testAccuracy() != null ? ACCURACY : row.finalTestLoss() != null ? TEST_LOSS
          : row.iterationsToTol() != null ? ITERATIONS : null;
    }

    List<Double> values(List<ResultRow> rows) {
      List<Double> out = new ArrayList<>();
      for (ResultRow row : rows) {
        out.add(switch (this) {
          case ACCURACY -> row.testAccuracy();
          case TEST_LOSS -> row.finalTestLoss();
          case ITERATIONS -> row.iterationsToTol() == null ? null
              : row.iterationsToTol().doubleValue();
        });
      }
      return out;
    }
  }
}
