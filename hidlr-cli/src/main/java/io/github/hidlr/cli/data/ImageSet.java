package io.github.hidlr.cli.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled grey-scale images of one size, as in MNIST: {@code count} images of
 * {@code rows × cols} unsigned-byte pixels (0 white … 255 black), stored image after image, row
 * by row, and one label per image.
 *
 * <p>Immutable: the factory copies its arrays and the accessors hand out copies or read-only
 * views, so the 47 MB of a training set are never copied by accident.
 */
public final class ImageSet {

  private final int rows;
  private final int cols;
  private final byte[] pixels;
  private final int[] labels;

  /** Takes ownership of the arrays; callers have validated them. */
  ImageSet(int rows, int cols, byte[] pixels, int[] labels) {
    this.rows = rows;
    this.cols = cols;
    this.pixels = pixels;
    this.labels = labels;
  }

  /**
   * An image set from arrays, which are copied.
   *
   * @param rows pixel rows per image, at least 1
   * @param cols pixel columns per image, at least 1
   * @param pixels {@code labels.length × rows × cols} pixels, image after image, row-major
   * @param labels one non-negative label per image
   * @return the image set
   * @throws IllegalArgumentException when the sizes disagree or a label is negative
   */
  public static ImageSet of(int rows, int cols, byte[] pixels, int[] labels) {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("images must be at least 1×1, got " + rows + "×" + cols);
    }
    long expected = (long) labels.length * rows * cols;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(labels.length + " images of " + rows + "×" + cols
          + " need " + expected + " pixels, got " + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i
            + " is negative");
      }
    }
    return new ImageSet(rows, cols, pixels.clone(), labels.clone());
  }

  /**
   * The number of images.
   *
   * @return the count
   */
  public int count() {
    return labels.length;
  }

  /**
   * Pixel rows per image.
   *
   * @return e.g. 28
   */
  public int rows() {
    return rows;
  }

  /**
   * Pixel columns per image.
   *
   * @return e.g. 28
   */
  public int cols() {
    return cols;
  }

  /**
   * Pixels per image, {@code rows × cols}.
   *
   * @return e.g. 784
   */
  public int pixelsPerImage() {
    return rows * cols;
  }

  /**
   * The number of classes, one more than the largest label (0 for an empty set).
   *
   * @return e.g. 10
   */
  public int classCount() {
    return Arrays.stream(labels).max().orElse(-1) + 1;
  }

  /**
   * One image's label.
   *
   * @param image the image index
   * @return the label
   */
  public int label(int image) {
    return labels[Objects.checkIndex(image, labels.length)];
  }

  /**
   * All labels.
   *
   * @return a copy
   */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * The labels of images {@code from} (inclusive) to {@code to} (exclusive).
   *
   * @param from first image
   * @param to one past the last image
   * @return a copy
   */
  public int[] labels(int from, int to) {
    Objects.checkFromToIndex(from, to, labels.length);
    return Arrays.copyOfRange(labels, from, to);
  }

  /**
   * One pixel.
   *
   * @param image the image index
   * @param row the row, 0 at the top
   * @param col the column, 0 at the left
   * @return the grey level, 0 to 255
   */
  public int pixel(int image, int row, int col) {
    Objects.checkIndex(image, labels.length);
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    return pixels[(image * rows + row) * cols + col] & 0xff;
  }

  /**
   * All pixels without copying, image after image, row-major; read the bytes as unsigned.
   *
   * @return a read-only view
   */
  public ByteBuffer pixels() {
    return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /**
   * The pixels of images {@code from} (inclusive) to {@code to} (exclusive) scaled to
   * {@code [0, 1]} (grey level / 255), image after image, row-major: a batch ready for a network.
   *
   * @param from first image
   * @param to one past the last image
   * @return {@code (to − from) × rows × cols} values
   */
  public float[] floats(int from, int to) {
    Objects.checkFromToIndex(from, to, labels.length);
    int per = pixelsPerImage();
    float[] out = new float[(to - from) * per];
    int offset = from * per;
    for (int i = 0; i < out.length; i++) {
      out[i] = (pixels[offset + i] & 0xff) / 255f;
    }
    return out;
  }

  /**
   * The images {@code from} (inclusive) to {@code to} (exclusive) as a set of their own.
   *
   * @param from first image
   * @param to one past the last image
   * @return a copy
   */
  public ImageSet subset(int from, int to) {
    Objects.checkFromToIndex(from, to, labels.length);
    int per = pixelsPerImage();
    return new ImageSet(rows, cols, Arrays.copyOfRange(pixels, from * per, to * per),
        Arrays.copyOfRange(labels, from, to));
  }

  @Override
  public String toString() {
    return "ImageSet[" + count() + " images of " + rows + "×" + cols + ", " + classCount()
        + " classes]";
  }
}
