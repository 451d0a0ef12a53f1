package io.github.hidlr.cli.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST database of
 * handwritten digits"): plain or gzip-compressed (recognised by content, not by name).
 *
 * <p>An IDX file is a 4-byte magic number {@code 00 00 T D} (type {@code T}, here only
 * {@code 08} = unsigned byte; {@code D} dimensions), {@code D} big-endian 32-bit sizes, then the
 * data, {@code d₁ × … × d_D} bytes. Images have 3 dimensions (count, rows, columns), labels 1.
 * Everything is checked: the magic number, the dimension count, the data length against the
 * header (a short file is truncated, a long one corrupt), and that the image and label files
 * agree on the count; each failure is a {@link DataException} naming the file.
 */
public final class IdxReader {

  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /**
   * Reads an images file and its labels file.
   *
   * @param images an IDX file of 3 dimensions (count, rows, cols)
   * @param labels an IDX file of 1 dimension (count)
   * @return the images with their labels
   * @throws DataException when a file is unreadable, not IDX, truncated, corrupt, or the counts
   *     disagree
   */
  public static ImageSet read(Path images, Path labels) {
    Idx img = readIdx(images, 3, "images (count, rows, columns)");
    Idx lab = readIdx(labels, 1, "labels (count)");
    if (img.dims[0] != lab.dims[0]) {
      throw new DataException(images + " holds " + img.dims[0] + " images but " + labels
          + " holds " + lab.dims[0] + " labels: the two files do not belong together; fetch the"
          + " dataset again");
    }
    if (img.dims[1] < 1 || img.dims[2] < 1) {
      throw new DataException(images + " declares images of " + img.dims[1] + "×" + img.dims[2]
          + " pixels: the file is corrupt; fetch the dataset again");
    }
    int[] labelValues = new int[lab.data.length];
    for (int i = 0; i < labelValues.length; i++) {
      labelValues[i] = lab.data[i] & 0xff;
    }
    return new ImageSet(img.dims[1], img.dims[2], img.data, labelValues);
  }

  /**
   * Reads the header and data of an unsigned-byte IDX file with a known number of dimensions.
   *
   * @param file the file
   * @param expectedDims the number of dimensions it must have
   * @param what what the file should hold, for messages
   * @return the sizes and the data
   */
  static Idx readIdx(Path file, int expectedDims, String what) {
    try (InputStream raw = Checksums.openContent(file);
        DataInputStream in = new DataInputStream(raw)) {
      byte[] magic = in.readNBytes(4);
      if (magic.length < 4) {
        throw corrupt(file, "is " + magic.length + " bytes long, shorter than an IDX header;"
            + " it is truncated");
      }
      if (magic[0] != 0 || magic[1] != 0) {
        throw corrupt(file, String.format(Locale.ROOT, "starts with %02x %02x, not with the"
            + " 00 00 of an IDX file: it is not an IDX file", magic[0] & 0xff, magic[1] & 0xff));
      }
      if ((magic[2] & 0xff) != UNSIGNED_BYTE) {
        throw corrupt(file, String.format(Locale.ROOT, "has IDX data type 0x%02x; hidlr reads"
            + " only unsigned bytes (0x08)", magic[2] & 0xff));
      }
      int dims = magic[3] & 0xff;
      if (dims != expectedDims) {
        throw corrupt(file, "has " + dims + " dimensions but " + what + " need " + expectedDims
            + ": it is not the file hidlr expects");
      }
      int[] sizes = new int[dims];
      long total = 1;
      for (int d = 0; d < dims; d++) {
        try {
          sizes[d] = in.readInt();
        } catch (EOFException e) {
          throw corrupt(file, "ends inside its header: it is truncated");
        }
        if (sizes[d] < 0) {
          throw corrupt(file, "declares a negative size " + sizes[d] + " in its header");
        }
        total *= sizes[d];
        if (total > Integer.MAX_VALUE - 8) {
          throw corrupt(file, "declares more than 2³¹ bytes of data; its header is corrupt");
        }
      }
      byte[] data = in.readNBytes((int) total);
      if (data.length < total) {
        throw corrupt(file, "is truncated: its header announces " + describe(sizes) + " = "
            + total + " bytes of data but only " + data.length + " follow");
      }
      if (in.read() != -1) {
        throw corrupt(file, "has bytes after the " + total + " bytes of data its header"
            + " announces (" + describe(sizes) + "): it is corrupt");
      }
      return new Idx(sizes, data);
    } catch (EOFException | ZipException e) {
      throw corrupt(file, "is a corrupt or truncated gzip file (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DataException("cannot read " + file + ": " + e, e);
    }
  }

  private static String describe(int[] sizes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      s.append(i == 0 ? "" : " × ").append(sizes[i]);
    }
    return s.toString();
  }

  private static DataException corrupt(Path file, String problem) {
    return new DataException(file + " " + problem + ". Delete it and fetch the dataset again"
        + " ('hidlr data fetch').");
  }

  private static DataException corrupt(Path file, String problem, Throwable cause) {
    return new DataException(file + " " + problem + ". Delete it and fetch the dataset again"
        + " ('hidlr data fetch').", cause);
  }

  /** An IDX file's sizes and data. */
  static final class Idx {
    final int[] dims;
    final byte[] data;

    Idx(int[] dims, byte[] data) {
      this.dims = dims;
      this.data = data;
    }
  }
}
