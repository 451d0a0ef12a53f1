package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir
  Path dir;

  private static final int COUNT = 7;
  private static final int ROWS = 3;
  private static final int COLS = 4;

  private static byte[] pixels() {
    byte[] p = new byte[COUNT * ROWS * COLS];
    new Random(1).nextBytes(p);
    p[0] = (byte) 255;
    return p;
  }

  private static byte[] labelBytes() {
    return new byte[] {0, 1, 2, 9, (byte) 200, 5, 3};
  }

  private Path images(byte[] bytes, boolean gz) {
    return TestFiles.write(dir.resolve(gz ? "img.gz" : "img"), gz ? TestFiles.gzip(bytes) : bytes);
  }

  private Path labels(byte[] bytes, boolean gz) {
    return TestFiles.write(dir.resolve(gz ? "lab.gz" : "lab"), gz ? TestFiles.gzip(bytes) : bytes);
  }

  private static byte[] imageFile() {
    return TestFiles.idx(new int[] {COUNT, ROWS, COLS}, pixels());
  }

  private static byte[] labelFile() {
    return TestFiles.idx(new int[] {COUNT}, labelBytes());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void roundTripsPlainAndGzip(boolean gz) {
    ImageSet set = IdxReader.read(images(imageFile(), gz), labels(labelFile(), gz));

    assertThat(set.count()).isEqualTo(COUNT);
    assertThat(set.rows()).isEqualTo(ROWS);
    assertThat(set.cols()).isEqualTo(COLS);
    byte[] expected = pixels();
    byte[] actual = new byte[expected.length];
    set.pixels().get(actual);
    assertThat(actual).isEqualTo(expected);
    assertThat(set.pixel(0, 0, 0)).isEqualTo(255);
    assertThat(set.pixel(2, 1, 3)).isEqualTo(expected[(2 * ROWS + 1) * COLS + 3] & 0xff);
    assertThat(set.labels()).containsExactly(0, 1, 2, 9, 200, 5, 3);
    assertThat(set.classCount()).isEqualTo(201);
    float[] batch = set.floats(1, 3);
    assertThat(batch).hasSize(2 * ROWS * COLS);
    assertThat(batch[0]).isEqualTo((expected[ROWS * COLS] & 0xff) / 255f);
    assertThat(set.subset(2, 4).labels()).containsExactly(2, 9);
  }

  @Test
  void readIsImmutable() {
    ImageSet set = IdxReader.read(images(imageFile(), false), labels(labelFile(), false));
    set.labels()[0] = 42;
    assertThat(set.label(0)).isZero();
    assertThat(set.pixels().isReadOnly()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void rejectsATruncatedImageFile(boolean gz) {
    byte[] full = imageFile();
    Path img = images(Arrays.copyOf(full, full.length - 5), gz);

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), gz)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(img.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("7 × 3 × 4 = 84 bytes of data but only 79 follow")
        .hasMessageContaining("fetch the dataset again");
  }

  @Test
  void rejectsATruncatedGzipStream() {
    byte[] gz = TestFiles.gzip(imageFile());
    Path img = TestFiles.write(dir.resolve("img.gz"), Arrays.copyOf(gz, gz.length - 12));

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), false)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(img.toString())
        .hasMessageContaining("corrupt or truncated gzip");
  }

  @Test
  void rejectsAHeaderCutShort() {
    Path img = images(Arrays.copyOf(imageFile(), 9), false);

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), false)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("ends inside its header");
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] full = imageFile();
    Path img = images(Arrays.copyOf(full, full.length + 3), false);

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), false)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("has bytes after the 84 bytes of data");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void rejectsAWrongMagicNumber(boolean gz) {
    byte[] bad = imageFile();
    bad[0] = 0x50;
    bad[1] = 0x4b;
    Path img = images(bad, gz);

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), gz)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(img.toString())
        .hasMessageContaining("starts with 50 4b")
        .hasMessageContaining("not an IDX file");
  }

  @Test
  void rejectsAnUnsupportedDataType() {
    byte[] bad = imageFile();
    bad[2] = 0x0D;
    Path img = images(bad, false);

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), false)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("data type 0x0d")
        .hasMessageContaining("only unsigned bytes");
  }

  @Test
  void rejectsLabelsGivenAsImages() {
    Path lab = labels(labelFile(), false);

    assertThatThrownBy(() -> IdxReader.read(lab, lab))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("has 1 dimensions but images (count, rows, columns) need 3");
  }

  @Test
  void rejectsMismatchedCounts() {
    Path lab = labels(TestFiles.idx(new int[] {COUNT - 1}, Arrays.copyOf(labelBytes(),
        COUNT - 1)), false);
    Path img = images(imageFile(), false);

    assertThatThrownBy(() -> IdxReader.read(img, lab))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("holds 7 images but")
        .hasMessageContaining("holds 6 labels");
  }

  @Test
  void rejectsAnEmptyFile() {
    Path img = images(new byte[0], false);

    assertThatThrownBy(() -> IdxReader.read(img, labels(labelFile(), false)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("shorter than an IDX header");
  }

  @Test
  void imageSetFactoryValidatesAndCopies() {
    byte[] px = new byte[2 * 2 * 2];
    int[] labels = {1, 0};
    ImageSet set = ImageSet.of(2, 2, px, labels);
    labels[0] = 7;
    px[0] = 9;
    assertThat(set.label(0)).isEqualTo(1);
    assertThat(set.pixel(0, 0, 0)).isZero();

    assertThatThrownBy(() -> ImageSet.of(2, 2, new byte[7], new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 8 pixels, got 7");
    assertThatThrownBy(() -> ImageSet.of(1, 1, new byte[1], new int[] {-1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
