package io.github.hidlr.cli.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** SHA-256 of a file's content, and opening a file that may be gzip-compressed. */
public final class Checksums {

  private Checksums() {}

  /**
   * The SHA-256 and size of a file's content: the decompressed bytes when the file starts with
   * the gzip magic number, the file's bytes otherwise.
   *
   * @param file the file
   * @return the digest and size
   * @throws DataException when the file cannot be read or is a corrupt or truncated gzip stream
   */
  public static Digest contentSha256(Path file) {
    MessageDigest sha = sha256();
    long size = 0;
    try (InputStream in = openContent(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
        size += n;
      }
    } catch (EOFException | ZipException e) {
      throw new DataException(file + " is a corrupt or truncated gzip file (" + e.getMessage()
          + "); delete it and fetch it again", e);
    } catch (IOException e) {
      throw new DataException("cannot read " + file + ": " + e, e);
    }
    return new Digest(HexFormat.of().formatHex(sha.digest()), size);
  }

  /**
   * Opens a file for reading its content, decompressing it when it starts with the gzip magic
   * number ({@code 1f 8b}); the file name does not matter.
   *
   * @param file the file
   * @return a buffered stream of the content
   * @throws IOException when the file cannot be opened or its gzip header is corrupt
   */
  public static InputStream openContent(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256, which every Java SE has", e);
    }
  }

  /**
   * A content checksum.
   *
   * @param sha256 the SHA-256, 64 lower-case hex digits
   * @param size the content's size in bytes
   */
  public record Digest(String sha256, long size) {}
}
