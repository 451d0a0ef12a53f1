package io.github.hidlr.cli.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A made-up dataset and fake {@code npm}, {@code apt-get} and {@code dpkg-deb} programs that
 * serve it from generated files, so the fetch path runs with no network.
 */
final class FakePackages {

  static final byte[] IMAGES = TestFiles.idx(new int[] {2, 2, 2}, new byte[] {1, 2, 3, 4, 5,
      6, 7, 8});
  static final byte[] TABLE = TestFiles.ascii("1,2,,\n\"A\",\"Y\"\n1.5,2\n");

  private FakePackages() {}

  static DatasetSpec spec(PackageSource source) {
    String prefix = switch (source) {
      case NPM -> "package/data/";
      case DEBIAN -> "usr/share/fake/";
      case MAVEN -> "data/";
    };
    return new DatasetSpec("fake", source, "fake-data", "1.0.0", List.of(
        new DataFile(FileRole.TRAIN_IMAGES, "a-idx3-ubyte", prefix + "a-idx3-ubyte",
            TestFiles.sha256(IMAGES), IMAGES.length),
        new DataFile(FileRole.TABLE, "b.csv.gz", prefix + "b.csv.gz",
            TestFiles.sha256(TABLE), TABLE.length)));
  }

  /** The npm tarball, optionally with other content for the images. */
  static byte[] tarball(byte[] images) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("package/package.json", TestFiles.ascii("{}"));
    entries.put("package/data/a-idx3-ubyte", images);
    entries.put("package/data/b.csv.gz", TestFiles.gzip(TABLE));
    return TestFiles.tgz(entries);
  }

  /**
   * A fake {@code npm} that logs its arguments to {@code calls.log} and copies a tarball into
   * its working folder.
   */
  static Path npm(Path bin, Path tarball) {
    return TestFiles.script(bin, "npm", "echo \"$@\" >> '" + bin.resolve("calls.log") + "'\n"
        + "echo 'npm notice fake'\n"
        + "cp '" + tarball + "' fake-data-1.0.0.tgz");
  }

  /**
   * A fake {@code apt-get} that refuses a pinned version (as apt does when its sources lack it)
   * and otherwise leaves an empty {@code .deb}; and a fake {@code dpkg-deb -x} that unpacks the
   * data from a folder.
   */
  static void debian(Path bin, Path unpacked) {
    TestFiles.script(bin, "apt-get", "echo \"$@\" >> '" + bin.resolve("calls.log") + "'\n"
        + "case \"$2\" in *=*) echo \"E: Version '1.0.0' for 'fake-data' was not found\";"
        + " exit 100;; esac\n"
        + "touch fake-data_1.0.0-2_all.deb");
    TestFiles.script(bin, "dpkg-deb", "mkdir -p \"$3\" && cp -R '" + unpacked + "'/. \"$3\"/");
  }

  /** A jar (a zip) holding the two files under {@code data/}. */
  static byte[] jar() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("data/a-idx3-ubyte"));
      zip.write(IMAGES);
      zip.putNextEntry(new java.util.zip.ZipEntry("data/b.csv.gz"));
      zip.write(TestFiles.gzip(TABLE));
      zip.closeEntry();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A fake {@code mvn} that logs its arguments and copies a jar into the folder named by
   * {@code -DoutputDirectory=}.
   */
  static Path mvn(Path bin, Path jar) {
    return TestFiles.script(bin, "mvn", "echo \"$@\" >> '" + bin.resolve("calls.log") + "'\n"
        + "for a in \"$@\"; do case \"$a\" in -DoutputDirectory=*) out=\"${a#*=}\";; esac; done\n"
        + "cp '" + jar + "' \"$out\"/fake-data-1.0.0.jar");
  }

  /** Finds only the programs in {@code bin}. */
  static ToolLocator only(Path bin) {
    return ToolLocator.onPath(bin.toString());
  }

  static ToolLocator none() {
    return name -> Optional.empty();
  }
}
