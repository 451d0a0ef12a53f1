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
        new LoraFinetuneExperiment(),
        new ImageClassificationExperiment(), new MultitaskExperiment(), new NamExperiment(),
        new MoeExperiment());
  }

  /**
   * Experiments that {@code hidlr run} knows but {@code hidlr reproduce} does not run yet,
   * because their budget does not fit it: {@code text-lora} (MiniLM) takes far longer than the
   * quick profile's few minutes on two cores.
   *
   * @return the experiments
   */
  public static List<Experiment> extra() {
    return List.of(new TextLoraExperiment());
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
    List<Experiment> known = new ArrayList<>(all());
    known.addAll(extra());
    for (Experiment experiment : known) {
      if (experiment.name().equals(name)) {
        return experiment;
      }
      names.add(experiment.name());
    }
    throw new IllegalArgumentException(
        "unknown experiment '" + name + "'; known experiments: " + names);
  }
}
