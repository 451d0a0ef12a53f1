package io.github.hidlr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.experiment.Experiments;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.RunOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every experiment runs in the tiny profile and writes the files a user looks at. */
class ExperimentsTinyTest {

  static Stream<Experiment> experiments() {
    return Experiments.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void runsAndWritesConfigSummaryTracesAndPlots(Experiment experiment, @TempDir Path out)
      throws Exception {
    RunOutput output = new RunOutput(out.resolve(experiment.name()));
    ExperimentSummary summary = experiment.run(
        new ExperimentContext(Profile.TINY, 7, output, false));
    Path dir = output.dir();
    assertThat(dir.resolve("config.json")).exists();
    JsonNode json = RunOutput.JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(json.get("experiment").asText()).isEqualTo(experiment.name());
    assertThat(json.get("profile").asText()).isEqualTo("tiny");
    assertThat(json.get("results").size()).isEqualTo(summary.results().size()).isPositive();
    for (JsonNode row : json.get("results")) {
      assertThat(row.has("final_train_loss")).isTrue();
      assertThat(row.get("method").asText()).isNotBlank();
    }
    assertThat(summary.results()).anySatisfy(r -> assertThat(r.method()).isEqualTo("hi-dlr"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(f -> f.endsWith(".csv")).anyMatch(f -> f.endsWith(".png"));
    }
    assertThat(summary.plots()).isNotEmpty().allSatisfy(p ->
        assertThat(Files.size(dir.resolve(p))).isGreaterThan(2_000));
  }
}
