package io.github.hidlr.cli;

import io.github.hidlr.cli.experiment.Experiment;
import io.github.hidlr.cli.experiment.ExperimentContext;
import io.github.hidlr.cli.experiment.Experiments;
import io.github.hidlr.cli.report.ExperimentSummary;
import io.github.hidlr.cli.report.ResultRow;
import io.github.hidlr.cli.report.RunOutput;
import io.github.hidlr.cli.study.PolicyStudy;
import io.github.hidlr.cli.study.StudyWriter;
import io.github.hidlr.cli.training.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hidlr study}: every named policy × every experiment with a learning-rate comparison ×
 * several seeds, side by side with the baselines; writes {@code study.md}, {@code study.json},
 * {@code study.csv} and {@code study.png}. How the default policy is chosen (docs/POLICY.md).
 */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run Hi-DLR policy variants × tasks × seeds beside the baselines; write"
        + " study.md with wins, ties and losses.")
public final class StudyCommand implements Callable<Integer> {

  @Option(names = "--profile", defaultValue = "quick",
      description = "tiny, quick or full (default: ${DEFAULT-VALUE})",
      converter = CommonOptions.ProfileConverter.class)
  Profile profile;

  @Option(names = "--seeds", split = ",", defaultValue = "42,1,2",
      description = "seeds, comma-separated (default: ${DEFAULT-VALUE})")
  List<Long> seeds;

  @Option(names = "--policies", split = ",",
      description = "policies to compare, comma-separated (default: every named policy: hi-dlr,"
          + " hi-dlr-paper, hi-dlr-log, linear-ema, hi-dlr-direct, joint-only, uphill-only,"
          + " hi-dlr-cosine, linear-cosine, hi-dlr-cooldown, hi-dlr-candidate,"
          + " candidate-cosine, hi-dlr-heldout, heldout-cooldown)")
  List<String> policies;

  @Option(names = "--experiments", split = ",",
      description = "experiments to run (default: every one but functions-2d)")
  List<String> experiments;

  @Option(names = "--out", defaultValue = "results/study",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Policy> chosen = policies == null ? Policy.all()
        : policies.stream().map(Policy::named).toList();
    List<Experiment> runs = new ArrayList<>();
    for (Experiment e : Experiments.all()) {
      if (experiments == null ? !e.name().equals("functions-2d")
          : experiments.contains(e.name())) {
        runs.add(e);
      }
    }
    if (runs.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no experiment"
          + " matches " + experiments + "; known: " + Experiments.all().stream()
          .map(Experiment::name).toList());
    }
    List<List<ResultRow>> rowsPerSeed = new ArrayList<>();
    for (long seed : seeds) {
      List<ResultRow> rows = new ArrayList<>();
      for (Experiment experiment : runs) {
        RunOutput output = new RunOutput(out.resolve("seed-" + seed).resolve(experiment.name()));
        ExperimentSummary summary = experiment.run(
            new ExperimentContext(profile, seed, output, true, chosen));
        rows.addAll(summary.results());
        spec.commandLine().getOut().printf("study: %s seed %d done%n", experiment.name(), seed);
        spec.commandLine().getOut().flush();
      }
      rowsPerSeed.add(rows);
    }
    PolicyStudy study = PolicyStudy.analyse(seeds, rowsPerSeed, chosen);
    String command = "./hidlr study --profile " + profile.label() + " --seeds "
        + seeds.stream().map(String::valueOf).collect(Collectors.joining(","))
        + " --policies " + chosen.stream().map(Policy::name).collect(Collectors.joining(","))
        + (experiments == null ? "" : " --experiments " + String.join(",", experiments));
    Path md = StudyWriter.write(new RunOutput(out), study, rowsPerSeed, command);
    spec.commandLine().getOut().println(StudyWriter.markdown(study, command));
    spec.commandLine().getOut().println("study: " + md);
    return 0;
  }
}
