package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.Profile;
import io.github.hidlr.cli.report.RunOutput;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What an experiment run gets: its profile and seed, the output folder, and progress bars.
 *
 * @param profile the size
 * @param seed the seed every method uses
 * @param output where to write
 * @param showProgress whether to draw progress bars (off in tests)
 */
public record ExperimentContext(Profile profile, long seed, RunOutput output,
    boolean showProgress) {

  /**
   * The experiment's folder.
   *
   * @return the folder
   */
  public Path dir() {
    return output.dir();
  }

  /**
   * A progress bar with rate and remaining time, on standard error.
   *
   * @param task what is running
   * @param total number of units
   * @return the bar; close it when done
   */
  public ProgressBar progress(String task, long total) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
        .continuousUpdate();
    if (!showProgress) {
      builder.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(line -> { }));
    } else {
      builder.setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err));
    }
    return builder.build();
  }
}
