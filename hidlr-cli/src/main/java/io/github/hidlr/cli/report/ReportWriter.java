package io.github.hidlr.cli.report;

import io.github.hidlr.cli.study.PolicyStudy;
import io.github.hidlr.cli.training.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Assembles {@code report.md} from experiment summaries: per experiment a results table, the
 * plots, the notes, and a plain verdict per task saying where Hi-DLR wins and where it loses
 * on the task's main metric (test accuracy, else test loss, else iterations to tolerance,
 * else final training loss).
 */
public final class ReportWriter {

  private ReportWriter() {}

  /**
   * Writes {@code report.md} into {@code out}.
   *
   * @param out the results folder holding one sub-folder per experiment
   * @param summaries the experiments' summaries, in order
   * @param descriptions one line per experiment name
   * @return the report's path
   */
  public static Path write(Path out, List<ExperimentSummary> summaries,
      Map<String, String> descriptions) {
    List<ResultRow> rows = new ArrayList<>();
    summaries.forEach(s -> rows.addAll(s.results()));
    return write(out, summaries, descriptions, List.of(), List.of(rows));
  }

  /**
   * Writes {@code report.md} into {@code out}, opening with the scoreboard: per task, the
   * default Hi-DLR and the paper's policy against the best method that is not Hi-DLR, judged
   * by {@link Verdict} over the seeds.
   *
   * @param out the results folder holding one sub-folder per experiment
   * @param summaries the experiments' summaries (means over seeds), in order
   * @param descriptions one line per experiment name
   * @param seeds the seeds, in the order of {@code rowsPerSeed} (empty: one unnamed run)
   * @param rowsPerSeed every result row, one list per seed
   * @return the report's path
   */
  public static Path write(Path out, List<ExperimentSummary> summaries,
      Map<String, String> descriptions, List<Long> seeds, List<List<ResultRow>> rowsPerSeed) {
    StringBuilder md = new StringBuilder("# hidlr: the paper's experiments, reproduced\n\n");
    if (!summaries.isEmpty()) {
      md.append("Profile: `").append(summaries.get(0).profile()).append("`");
      if (!seeds.isEmpty()) {
        md.append(", seeds ").append(seeds);
      }
      md.append(". Each experiment's folder holds its `config.json`, `summary.json`, CSV"
          + " traces and plots.\n\n");
    }
    md.append(scoreboard(seeds, rowsPerSeed, scoreboardPolicies(summaries)));
    for (ExperimentSummary summary : summaries) {
      md.append("## ").append(summary.experiment()).append("\n\n");
      md.append(descriptions.getOrDefault(summary.experiment(), "")).append("\n\n");
      if (summary.profile().equals("tiny")) {
        md.append("Tiny profile: generated data (synthetic images and tables) stands in for the"
            + " real data sets, and the budgets are a few steps; the numbers show that the code"
            + " runs, not how the methods compare.\n\n");
      }
      md.append(table(summary.results())).append('\n');
      for (String verdict : verdicts(summary.results())) {
        md.append("- ").append(verdict).append('\n');
      }
      for (String note : summary.notes()) {
        md.append("- ").append(note).append('\n');
      }
      md.append('\n');
      for (String plot : summary.plots()) {
        md.append("![").append(plot).append("](").append(summary.experiment()).append('/')
            .append(plot).append(")\n");
      }
      md.append('\n');
    }
    Path file = out.resolve("report.md");
    try {
      Files.createDirectories(out);
      Files.writeString(file, md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /**
   * A markdown table of results.
   *
   * @param rows the results
   * @return the table
   */
  static String table(List<ResultRow> rows) {
    StringBuilder md = new StringBuilder(
        "| task | method | train loss | test loss | test acc. | iters to tol | steps | wall s |\n"
            + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ResultRow r : rows) {
      md.append("| ").append(r.task()).append(" | ").append(r.method()).append(" | ")
          .append(num(r.finalTrainLoss())).append(" | ").append(num(r.finalTestLoss()))
          .append(" | ").append(r.testAccuracy() == null ? "–"
              : String.format(Locale.ROOT, "%.4f", r.testAccuracy()))
          .append(" | ").append(r.iterationsToTol() == null ? "–" : r.iterationsToTol())
          .append(" | ").append(r.steps() == null ? "–" : r.steps())
          .append(" | ").append(r.wallSeconds() == null ? "–"
              : String.format(Locale.ROOT, "%.1f", r.wallSeconds()))
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * The scoreboard: per task, each of {@code policies} against the best method that is not
   * Hi-DLR, with the margin, and the tally.
   *
   * @param seeds the seeds (empty: one run)
   * @param rowsPerSeed the rows, one list per seed
   * @param policies the policies to judge ({@link #scoreboardPolicies})
   * @return markdown
   */
  static String scoreboard(List<Long> seeds, List<List<ResultRow>> rowsPerSeed,
      List<Policy> policies) {
    List<Long> named = seeds.isEmpty() ? List.of(0L) : seeds;
    PolicyStudy study = PolicyStudy.analyse(named, rowsPerSeed, policies);
    if (study.tasks().isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("## Scoreboard\n\n");
    md.append("Hi-DLR (`hi-dlr`, the library's default; `hi-dlr-paper`, the paper's rule)"
        + " against the best method on the same task that is not Hi-DLR (grid-tuned rates,"
        + " schedules, Prodigy, D-Adaptation, LoRA+, manual rates), on test accuracy, else test"
        + " loss, else iterations to tolerance. ").append(Verdict.rule(rowsPerSeed.size()))
        .append(" The margin is accuracy points, or Hi-DLR's loss as a multiple of the"
            + " baseline's (×0.9: 10% lower).\n\n").append(study.table(true));
    md.append('\n');
    for (Policy p : study.policies()) {
      int[] t = study.tally(p.name());
      md.append(String.format(Locale.ROOT, "- **%s** against the best non-Hi-DLR method: %d"
          + " won, %d tied, %d lost, %d diverged, of %d tasks.%n", p.name(), t[0], t[1], t[2],
          t[3], study.tasks().size()));
    }
    return md.append('\n').toString();
  }

  /**
   * The policies of the scoreboard: the reported ones ({@link Policy#reported()}) and any other
   * named policy that ran in two experiments or more (as {@code --policies} runs it), in the
   * order of {@link Policy#all()}; only those with results. A policy that one experiment adds
   * on its own (image-cls's {@code hi-dlr-cosine}) stays in that experiment's table.
   *
   * @param summaries the experiments' summaries
   * @return the policies, in order
   */
  public static List<Policy> scoreboardPolicies(List<ExperimentSummary> summaries) {
    Map<String, Integer> experimentsOf = new HashMap<>();
    for (ExperimentSummary summary : summaries) {
      Set<String> methods = new HashSet<>();
      summary.results().forEach(r -> methods.add(PolicyStudy.baseName(r.method())));
      methods.forEach(m -> experimentsOf.merge(m, 1, Integer::sum));
    }
    List<Policy> policies = new ArrayList<>();
    for (Policy p : Policy.all()) {
      int experiments = experimentsOf.getOrDefault(p.name(), 0);
      if (experiments > 0 && (Policy.reported().contains(p) || experiments >= 2)) {
        policies.add(p);
      }
    }
    return policies;
  }

  /**
   * Where Hi-DLR wins, ties, loses or diverges, per task of one experiment.
   *
   * @param rows the results
   * @return one sentence per task that has a {@code hi-dlr} row
   */
  static List<String> verdicts(List<ResultRow> rows) {
    PolicyStudy study = PolicyStudy.analyse(List.of(0L), List.of(rows),
        List.of(Policy.DEFAULT));
    List<String> out = new ArrayList<>();
    for (String task : study.tasks()) {
      Verdict v = study.verdicts().get(task).get(Policy.DEFAULT.name());
      if (v == null) {
        continue;
      }
      String metric = v.metric();
      out.add("**" + task + "**: Hi-DLR " + switch (v.outcome()) {
        case WIN -> "wins";
        case TIE -> "ties";
        case LOSS -> "loses";
        case DIVERGED -> "diverges";
      } + " on " + metric + " (" + v.candidate() + " vs " + v.baselineName() + " "
          + v.baseline() + "; margin " + v.margin() + ").");
    }
    return out;
  }

  private static String num(Number value) {
    if (value == null) {
      return "–";
    }
    double v = value.doubleValue();
    return value instanceof Integer || value instanceof Long ? value.toString()
        : String.format(Locale.ROOT, Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? "%.4f" : "%.3e", v);
  }
}
