package io.github.hidlr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.report.ExperimentSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs replace an experiment's folder whole or not at all; the report covers every folder. */
class AtomicRunsTest {

  @Test
  void aRunAfterAnotherKeepsBothExperimentsInTheReport(@TempDir Path out) throws IOException {
    assertThat(Main.execute("run", "functions-2d", "--profile", "tiny", "--out", out.toString()))
        .isZero();
    assertThat(Main.execute("run", "lora-synthetic", "--profile", "tiny", "--out",
        out.toString())).isZero();
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("## functions-2d", "## lora-synthetic", "## Scoreboard");
    Files.delete(out.resolve("report.md"));
    assertThat(Main.execute("report", "--out", out.toString())).isZero();
    assertThat(Files.readString(out.resolve("report.md"))).isEqualTo(report);
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void aRunThatFailsPartWayLeavesThePreviousResultsByteIdentical(@TempDir Path out)
      throws Exception {
    assertThat(Main.execute("run", "functions-2d", "--profile", "tiny", "--out", out.toString()))
        .isZero();
    Map<String, String> before = snapshot(out.resolve("functions-2d"));
    Experiment failing = failing("functions-2d",
        new IllegalStateException("interrupted part-way"));
    CommonOptions options = tinyOptions(out);
    assertThatThrownBy(() -> ExperimentRunner.run(failing, options,
        new PrintWriter(new StringWriter()), false)).hasMessage("interrupted part-way");
    assertThat(snapshot(out.resolve("functions-2d"))).containsExactlyInAnyOrderEntriesOf(before);
    assertThat(out.resolve(".functions-2d.partial")).doesNotExist();
  }

  @Test
  void aRunWhoseDataCannotBeFetchedLeavesNoFolder(@TempDir Path out) {
    Experiment needsData = failing("nam", new io.github.hidlr.cli.data.DataException(
        "boston is not ready: fetch it with 'hidlr data fetch boston'"));
    CommonOptions options = tinyOptions(out);
    assertThatThrownBy(() -> ExperimentRunner.run(needsData, options,
        new PrintWriter(new StringWriter()), false)).hasMessageContaining("hidlr data fetch");
    assertThat(out.resolve("nam")).doesNotExist();
    assertThat(out.resolve(".nam.partial")).doesNotExist();
  }

  @Test
  void aFolderLeftByAKilledRunIsNeitherReportedNorKept(@TempDir Path out) throws IOException {
    Path stale = out.resolve(".lora-synthetic.partial");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("summary.json"), "{\"experiment\": \"half");
    assertThat(Main.execute("run", "functions-2d", "--profile", "tiny", "--out", out.toString()))
        .isZero();
    assertThat(Files.readString(out.resolve("report.md"))).doesNotContain("lora-synthetic");
    assertThat(Main.execute("run", "lora-synthetic", "--profile", "tiny", "--out",
        out.toString())).isZero();
    assertThat(stale).doesNotExist();
  }

  @Test
  void outThatIsAFileSaysSoAndTheFix(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("results"), "not a folder");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.execute("run", "functions-2d", "--profile", "tiny", "--out", file.toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is a file, not a folder",
        "choose another --out");
    assertThat(Files.readString(file)).isEqualTo("not a folder");
  }

  @Test
  void reportWithoutResultsNamesTheCommandThatMakesThem(@TempDir Path out) {
    assertThat(Main.execute("report", "--out", out.toString())).isEqualTo(2);
  }

  /** An experiment that writes its config, then fails with {@code failure}. */
  private static Experiment failing(String name, RuntimeException failure) {
    return new Experiment() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return "writes half its files, then fails";
      }

      @Override
      public ExperimentSummary run(ExperimentContext context) {
        context.output().json("config.json", Map.of("half", "written"));
        throw failure;
      }
    };
  }

  private static CommonOptions tinyOptions(Path out) {
    return CommonOptions.of(Profile.TINY, 7, out);
  }

  /** Every file's bytes, as ISO-8859-1 text so that maps compare by content. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(),
            new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }
}
