package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.training.Policy;
import java.util.List;
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
 * @param policies the Hi-DLR policies each experiment runs, the headline one first
 */
public record ExperimentContext(Profile profile, long seed, RunOutput output,
    boolean showProgress, List<Policy> policies) {

  /**
   * Checks and copies the policies.
   *
   * @throws IllegalArgumentException if there is no policy
   */
  public ExperimentContext {
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("an experiment needs at least one Hi-DLR policy");
    }
    policies = List.copyOf(policies);
  }

  /**
   * A context that runs the reported policies ({@link Policy#reported()}).
   *
   * @param profile the size
   * @param seed the seed
   * @param output where to write
   * @param showProgress whether to draw progress bars
   */
  public ExperimentContext(Profile profile, long seed, RunOutput output, boolean showProgress) {
    this(profile, seed, output, showProgress, Policy.reported());
  }

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
