package io.github.hidlr.cli.study;

import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.report.RunOutput;
import io.github.hidlr.cli.report.Verdict;
import io.github.hidlr.cli.training.Policy;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Writes a {@link PolicyStudy}: {@code study.json} (every verdict and every row),
 * {@code study.csv} (one line per policy, task and seed), {@code study.md} (policy × task,
 * mean ± std and the verdict, the tally, forward passes per probe) and {@code study.png}
 * (each policy's margin per task).
 */
public final class StudyWriter {

  private StudyWriter() {}

  /**
   * Writes every file of the study into the output folder.
   *
   * @param out the study's folder
   * @param study the analysis
   * @param rowsPerSeed the rows it was computed from, one list per seed
   * @param command the command that produced it, for the table's header
   * @return the markdown table's path
   */
  public static Path write(RunOutput out, PolicyStudy study, List<List<ResultRow>> rowsPerSeed,
      String command) {
    List<List<Object>> csv = new ArrayList<>();
    for (int s = 0; s < rowsPerSeed.size(); s++) {
      for (ResultRow row : rowsPerSeed.get(s)) {
        csv.add(List.of(study.seeds().get(s), row.task(), row.method(),
            row.testAccuracy() == null ? "" : row.testAccuracy(),
            row.finalTestLoss() == null ? "" : row.finalTestLoss(), row.isDiverged()));
      }
    }
    out.csv("study.csv", List.of("seed", "task", "method", "test_accuracy", "test_loss",
        "diverged"), csv);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", command);
    json.put("seeds", study.seeds());
    List<Map<String, Object>> policies = new ArrayList<>();
    for (Policy policy : study.policies()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", policy.name());
      p.put("mechanisms", policy.mechanisms());
      p.put("forward_passes_per_probe", passes(policy));
      int[] tally = study.tally(policy.name());
      for (Verdict.Outcome o : Verdict.Outcome.values()) {
        p.put(o.label(), tally[o.ordinal()]);
      }
      policies.add(p);
    }
    json.put("policies", policies);
    List<Map<String, Object>> verdicts = new ArrayList<>();
    study.verdicts().forEach((task, perPolicy) -> perPolicy.forEach((policy, v) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("task", task);
      entry.put("policy", policy);
      entry.put("outcome", v.outcome().label());
      entry.put("metric", v.metric());
      entry.put("mean", v.candidate().mean());
      entry.put("std", v.candidate().std());
      entry.put("baseline", v.baselineName());
      entry.put("baseline_mean", v.baseline().mean());
      entry.put("baseline_std", v.baseline().std());
      verdicts.add(entry);
    }));
    json.put("verdicts", verdicts);
    out.json("study.json", json);
    plot(out, study);
    Path md = out.dir().resolve("study.md");
    try {
      Files.writeString(md, markdown(study, command), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + md + ": " + e.getMessage(), e);
    }
    return md;
  }

  /**
   * The study as a markdown table.
   *
   * @param study the analysis
   * @param command the command that produced it
   * @return the markdown
   */
  public static String markdown(PolicyStudy study, String command) {
    StringBuilder md = new StringBuilder();
    md.append("Produced by `").append(command).append("`; seeds ")
        .append(study.seeds()).append(".\n\n");
    md.append("Per task: the metric (test accuracy, or test loss where there is no accuracy;"
        + " mean ± std over seeds) and the verdict against the best method that is not"
        + " Hi-DLR. ").append(Verdict.rule(study.seeds().size())).append("\n\n");
    md.append(study.table(false));
    md.append("\n| policy | mechanisms | forward passes per probe | win | tie | loss |"
        + " diverged |\n| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (Policy p : study.policies()) {
      int[] t = study.tally(p.name());
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d |%n", p.name(),
          p.mechanisms(), passes(p), t[0], t[1], t[2], t[3]));
    }
    return md.toString();
  }

  private static String passes(Policy policy) {
    return policy.config(1, 1, 1).jointScale() != io.github.hidlr.core.tuner.JointScale.OFF
        ? "2K + 3" : "2K + 1";
  }

  /** Each policy's margin per task: accuracy points, or log10 of the loss ratio. */
  private static void plot(RunOutput out, PolicyStudy study) {
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
        .title("Hi-DLR policies against the best non-Hi-DLR method (above 0: better)")
        .xAxisTitle("task").yAxisTitle("accuracy points, or log10(baseline loss / loss)")
        .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisLabelRotation(30);
    for (Policy p : study.policies()) {
      List<String> tasks = new ArrayList<>();
      List<Double> margins = new ArrayList<>();
      for (String task : study.tasks()) {
        Verdict v = study.verdicts().get(task).get(p.name());
        if (v == null || !Double.isFinite(v.candidate().mean())
            || !Double.isFinite(v.baseline().mean())) {
          continue;
        }
        double margin = v.higherIsBetter() ? v.candidate().mean() - v.baseline().mean()
            : Math.log10(Math.max(v.baseline().mean(), 1e-300)
                / Math.max(v.candidate().mean(), 1e-300));
        tasks.add(task);
        margins.add(Math.max(-1, Math.min(1, margin)));
      }
      if (!tasks.isEmpty()) {
        chart.addSeries(p.name(), tasks, margins);
      }
    }
    Path file = out.dir().resolve("study.png");
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      out.plotWritten("study.png");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
