package io.github.hidlr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hidlr.cli.report.RunOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

  @Test
  void helpListAndBadUsageHaveMeaningfulExitCodes() {
    assertThat(Main.execute("--help")).isZero();
    assertThat(Main.execute("list")).isZero();
    assertThat(Main.execute("run", "--help")).isZero();
    assertThat(Main.execute("run")).isEqualTo(2);
    assertThat(Main.execute("run", "functions-2d", "--profile", "huge")).isEqualTo(2);
    assertThat(Main.execute("run", "no-such-experiment", "--profile", "tiny")).isEqualTo(2);
    assertThat(Main.execute("frobnicate")).isEqualTo(2);
  }

  @Test
  void policiesChooseWhichHiDlrPoliciesRunAndTheScoreboardShowsThem(@TempDir Path out)
      throws IOException {
    assertThat(Main.execute("run", "multitask", "--profile", "tiny", "--policies",
        "no-such-policy", "--out", out.toString())).as("an unknown policy").isEqualTo(2);
    assertThat(Main.execute("run", "multitask", "--profile", "tiny", "--policies",
        "hi-dlr,hi-dlr-nobc", "--out", out.toString())).isZero();
    String summary = Files.readString(out.resolve("multitask").resolve("summary.json"));
    assertThat(summary).contains("\"hi-dlr\"", "\"hi-dlr-nobc\"")
        .doesNotContain("\"hi-dlr-paper\"");
    assertThat(Files.readString(out.resolve("report.md")))
        .as("in one experiment, a policy stays in that experiment's table")
        .doesNotContain("**hi-dlr-nobc** against the best non-Hi-DLR method");
    assertThat(Main.execute("run", "lora-synthetic", "--profile", "tiny", "--policies",
        "hi-dlr,hi-dlr-nobc", "--out", out.toString())).isZero();
    assertThat(Files.readString(out.resolve("report.md")))
        .as("in two experiments, it joins the scoreboard")
        .contains("**hi-dlr-nobc** against the best non-Hi-DLR method");
  }

  @Test
  void functions2dWritesItsFilesAndTheReport(@TempDir Path out) throws IOException {
    int code = Main.execute("run", "functions-2d", "--profile", "tiny", "--out", out.toString());
    assertThat(code).isZero();
    Path dir = out.resolve("functions-2d");
    assertThat(dir.resolve("config.json")).exists();
    assertThat(dir.resolve("ellipse-trace.csv")).exists();
    assertThat(dir.resolve("beale-rosenbrock-trajectories.png")).exists();
    assertThat(Files.size(dir.resolve("ellipse-loss.png"))).isGreaterThan(5_000);
    JsonNode summary = RunOutput.JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("experiment").asText()).isEqualTo("functions-2d");
    assertThat(summary.get("profile").asText()).isEqualTo("tiny");
    JsonNode first = summary.get("results").get(0);
    assertThat(first.get("task").asText()).isEqualTo("ellipse");
    assertThat(first.get("method").asText()).isEqualTo("hi-dlr");
    assertThat(first.get("iterations_to_tol").asInt()).isEqualTo(1);
    assertThat(first.has("test_accuracy")).isTrue();
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("## functions-2d", "Hi-DLR wins", "beale-rosenbrock-loss.png");
  }

  @Test
  void fullProfileRunsThreeSeedsAndReportsTheirMean(@TempDir Path out) throws IOException {
    assertThat(Main.execute("run", "functions-2d", "--profile", "full", "--seed", "5",
        "--out", out.toString())).isZero();
    Path dir = out.resolve("functions-2d");
    for (int seed = 5; seed < 8; seed++) {
      assertThat(dir.resolve("seed-" + seed).resolve("summary.json")).exists();
    }
    JsonNode summary = RunOutput.JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("profile").asText()).isEqualTo("full");
    assertThat(summary.get("notes").get(0).asText()).contains("Mean over 3 seeds");
    assertThat(summary.get("results").get(0).get("iterations_to_tol").asInt()).isEqualTo(1);
    assertThat(Files.readString(out.resolve("report.md"))).contains("seed-5/ellipse-loss.png");
  }
}
