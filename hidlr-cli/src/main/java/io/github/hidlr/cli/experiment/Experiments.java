package io.github.hidlr.cli.experiment;

import java.util.ArrayList;
import java.util.List;

/** The registry of experiments, in the order {@code hidlr reproduce} runs them. */
public final class Experiments {

  private Experiments() {}

  /**
   * Every experiment.
   *
   * @return the experiments, in report order
   */
  public static List<Experiment> all() {
    return List.of(new Functions2dExperiment(), new LoraSyntheticExperiment(),
        new LoraFinetuneExperiment(), new TextLoraExperiment(),
        new ImageClassificationExperiment(), new MultitaskExperiment(), new NamExperiment(),
        new MoeExperiment());
  }

  /**
   * The experiment with this name.
   *
   * @param name e.g. {@code "functions-2d"}
   * @return the experiment
   * @throws IllegalArgumentException naming the known experiments if there is none
   */
  public static Experiment named(String name) {
    List<String> names = new ArrayList<>();
    for (Experiment experiment : all()) {
      if (experiment.name().equals(name)) {
        return experiment;
      }
      names.add(experiment.name());
    }
    throw new IllegalArgumentException(
        "unknown experiment '" + name + "'; known experiments: " + names);
  }
}
