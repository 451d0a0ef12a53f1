package io.github.hidlr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hidlr reproduce --jobs N}: experiments in child processes give the results of running
 * them in this process, and a child that fails is reported without stopping the others.
 */
class ChildRunsTest {

  @Test
  void childrenGiveTheResultsOfRunsInProcessAndAFailureStopsNoOther(@TempDir Path dir)
      throws Exception {
    Path inProcess = dir.resolve("in-process");
    Path children = dir.resolve("children");
    assertThat(Main.execute("run", "functions-2d", "--profile", "tiny", "--seed", "7",
        "--out", inProcess.toString())).isZero();

    StringWriter said = new StringWriter();
    List<ChildRuns.Failure> failures = ChildRuns.run(
        List.of(ChildRuns.experiment("no-such-experiment", options(children)),
            ChildRuns.experiment("functions-2d", options(children))),
        children.resolve("logs"), 2, new PrintWriter(said));

    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.label()).isEqualTo("no-such-experiment");
      assertThat(f.reason()).startsWith("exit code 2").contains("no-such-experiment");
      assertThat(f.log()).exists();
    });
    assertThat(said.toString()).contains("functions-2d: done in",
        "no-such-experiment: FAILED");
    assertThat(results(children.resolve("functions-2d")))
        .isEqualTo(results(inProcess.resolve("functions-2d")));
    assertThat(children.resolve("report.md")).as("children leave the report to the parent")
        .doesNotExist();
    assertThat(Files.readString(children.resolve("logs").resolve("functions-2d.log")))
        .as("no progress bars in the log").doesNotContain("\r");
  }

  @Test
  void lessThanOneJobIsRefusedBeforeAnythingStarts(@TempDir Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChildRuns.run(
        List.of(ChildRuns.experiment("functions-2d", options(dir))), dir.resolve("logs"), 0,
        new PrintWriter(new StringWriter())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--jobs");
    assertThat(dir.resolve("logs")).doesNotExist();
  }

  /** The results of a summary, without the wall-clock times. */
  private static JsonNode results(Path folder) throws IOException {
    JsonNode results = io.github.hidlr.cli.report.RunOutput.JSON
        .readTree(folder.resolve("summary.json").toFile()).get("results");
    for (JsonNode row : results) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) row).remove("wall_seconds");
    }
    return results;
  }

  private static CommonOptions options(Path out) {
    return CommonOptions.of(Profile.TINY, 7, out);
  }
}
