package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {

  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new DataCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void verifyOfAnEmptyCacheFailsNamingWhatIsMissing() {
    int code = run("verify", "--data-dir", tmp.toString(), "mnist", "boston");

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains("mnist: missing")
        .contains(tmp.resolve("mnist/train-images-idx3-ubyte") + " is missing")
        .contains("boston: missing")
        .contains("hidlr data fetch")
        .doesNotContain("diabetes");
  }

  @Test
  void printCommandsFetchesNothing() {
    int code = run("fetch", "--print-commands", "--data-dir", tmp.toString(), "fashion-mnist");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("apt-get download 'dataset-fashion-mnist=0.0~git20200523.55506a9-1'")
        .contains(tmp.resolve("fashion-mnist").toString());
    assertThat(tmp.resolve("fashion-mnist")).doesNotExist();
  }

  @Test
  void unknownDatasetIsAUsageError() {
    assertThat(run("fetch", "cifar")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown dataset 'cifar'");
  }
}
