package io.github.hidlr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hidlr study --jobs N}: one child process per experiment and seed gives the table of
 * the study run one by one in this process.
 */
class StudyJobsTest {

  @Test
  void aStudyInChildProcessesEqualsTheStudyRunInProcess(@TempDir Path dir) throws Exception {
    Path inProcess = dir.resolve("in-process");
    Path children = dir.resolve("children");
    String[] study = {"study", "--profile", "tiny", "--seeds", "3,4", "--experiments",
        "lora-synthetic,multitask", "--policies", "hi-dlr,hi-dlr-paper"};

    assertThat(Main.execute(concat(study, "--jobs", "1", "--out", inProcess.toString())))
        .isZero();
    assertThat(Main.execute(concat(study, "--jobs", "2", "--out", children.toString())))
        .isZero();

    assertThat(Files.readString(children.resolve("study.json")))
        .isEqualTo(Files.readString(inProcess.resolve("study.json")));
    assertThat(children.resolve("logs").resolve("seed-3-multitask.log")).exists();
    assertThat(Files.readString(children.resolve("logs").resolve("seed-4-lora-synthetic.log")))
        .as("no progress bars in a child's log").doesNotContain("\r");
  }

  @Test
  void lessThanOneJobIsRefused(@TempDir Path dir) {
    assertThat(Main.execute("study", "--profile", "tiny", "--jobs", "0", "--out",
        dir.toString())).isEqualTo(2);
    assertThat(dir.resolve("logs")).doesNotExist();
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
