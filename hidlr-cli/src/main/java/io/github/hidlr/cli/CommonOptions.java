package io.github.hidlr.cli;

import io.github.hidlr.cli.training.Policy;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the subcommands that run experiments (a picocli mixin). */
public final class CommonOptions {

  @Option(names = "--profile", defaultValue = "quick",
      description = "tiny, quick or full (default: ${DEFAULT-VALUE})",
      converter = ProfileConverter.class)
  Profile profile;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", defaultValue = "results",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--policies", split = ",", converter = PolicyConverter.class,
      description = "Hi-DLR policies each experiment runs beside its baselines, comma-separated,"
          + " the headline one first (default: hi-dlr,hi-dlr-paper; 'hidlr study --help' lists"
          + " every named policy)")
  List<Policy> policies;

  /**
   * Options as the command line would give them.
   *
   * @param profile the profile
   * @param seed the seed
   * @param out the output folder
   * @return the options
   */
  static CommonOptions of(Profile profile, long seed, Path out) {
    CommonOptions options = new CommonOptions();
    options.profile = profile;
    options.seed = seed;
    options.out = out;
    return options;
  }

  /**
   * The profile.
   *
   * @return the profile
   */
  public Profile profile() {
    return profile;
  }

  /**
   * The seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The output folder.
   *
   * @return the folder
   */
  public Path out() {
    return out;
  }

  /**
   * The Hi-DLR policies each experiment runs.
   *
   * @return the policies given, else {@link Policy#reported()}
   */
  public List<Policy> policies() {
    // A policy named twice runs once: its rows would otherwise count as two seeds.
    return policies == null || policies.isEmpty() ? Policy.reported()
        : List.copyOf(new LinkedHashSet<>(policies));
  }

  /** Parses a policy name, naming the known ones on error. */
  static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<Policy> {
    @Override
    public Policy convert(String value) {
      try {
        return Policy.named(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Parses profile names case-insensitively, naming the allowed values on error. */
  static final class ProfileConverter implements picocli.CommandLine.ITypeConverter<Profile> {
    @Override
    public Profile convert(String value) {
      for (Profile p : Profile.values()) {
        if (p.label().equalsIgnoreCase(value)) {
          return p;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "unknown profile '" + value + "': use tiny, quick or full");
    }
  }
}
