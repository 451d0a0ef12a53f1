package io.github.hidlr.cli.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads chosen regular files out of a gzip-compressed tar archive (an npm tarball): ustar and
 * GNU headers, ustar name prefixes, GNU long names and pax {@code path} records. Entry names
 * choose nothing on disk: each wanted entry goes to a path the caller gives, so a hostile
 * archive cannot write elsewhere.
 */
final class TarGz {

  private static final int BLOCK = 512;

  private TarGz() {}

  /**
   * Copies the wanted entries out of an archive.
   *
   * @param archive the {@code .tgz} file
   * @param wanted entry name (leading {@code ./} ignored) to destination file
   * @return the entry names found and copied
   * @throws DataException when the archive is not gzip, is truncated, or has a corrupt header
   */
  static Set<String> extract(Path archive, Map<String, Path> wanted) {
    Set<String> found = new HashSet<>();
    try (InputStream in = new BufferedInputStream(
        new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      while (true) {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
          break;
        }
        if (n < BLOCK) {
          throw truncated(archive, "a header block");
        }
        if (isZero(header)) {
          break;
        }
        checkHeaderChecksum(archive, header);
        long size = parseSize(archive, header);
        char type = (char) header[156];
        String name = longName != null ? longName : headerName(header);
        longName = null;
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        if (type == 'x' || type == 'L') {
          if (size > 1 << 20) {
            throw new DataException(archive + " has a " + size + "-byte extended header; it is"
                + " corrupt or not an npm tarball");
          }
          byte[] data = readFully(archive, in, (int) size);
          skipFully(archive, in, padded - size);
          longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
          continue;
        }
        String key = name.startsWith("./") ? name.substring(2) : name;
        Path target = (type == '0' || type == '\0') ? wanted.get(key) : null;
        if (target != null) {
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(archive, in, out, size);
          }
          skipFully(archive, in, padded - size);
          found.add(key);
        } else {
          skipFully(archive, in, padded);
        }
      }
    } catch (EOFException | ZipException e) {
      throw new DataException(archive + " is a corrupt or truncated gzip file (" + e.getMessage()
          + "); delete it and fetch again", e);
    } catch (IOException e) {
      throw new DataException("cannot read " + archive + ": " + e, e);
    }
    return found;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkHeaderChecksum(Path archive, byte[] h) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    long stored = parseOctal(archive, h, 148, 8);
    if (stored != sum) {
      throw new DataException(archive + " has a tar header with a bad checksum (stored "
          + stored + ", computed " + sum + "): the archive is corrupt; delete it and fetch again");
    }
  }

  private static long parseSize(Path archive, byte[] h) {
    if ((h[124] & 0x80) != 0) {
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    return parseOctal(archive, h, 124, 12);
  }

  private static long parseOctal(Path archive, byte[] h, int off, int len) {
    String s = new String(h, off, len, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new DataException(archive + " has a tar header with the non-octal number '" + s
          + "': the archive is corrupt; delete it and fetch again", e);
    }
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    String magic = new String(h, 257, 5, StandardCharsets.US_ASCII);
    if ("ustar".equals(magic)) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** The {@code path} of pax records {@code "<len> <key>=<value>\n"}, or null when absent. */
  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      int eq = record.indexOf('=');
      if (space > 0 && eq > space && record.substring(space + 1, eq).equals("path")) {
        return record.substring(eq + 1);
      }
    }
    return null;
  }

  private static byte[] readFully(Path archive, InputStream in, int n) throws IOException {
    byte[] data = in.readNBytes(n);
    if (data.length < n) {
      throw truncated(archive, "an entry");
    }
    return data;
  }

  private static void copy(Path archive, InputStream in, OutputStream out, long n)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = n;
    while (left > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (r < 0) {
        throw truncated(archive, "an entry");
      }
      out.write(buffer, 0, r);
      left -= r;
    }
  }

  private static void skipFully(Path archive, InputStream in, long n) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw truncated(archive, "an entry");
    }
  }

  private static DataException truncated(Path archive, String what) {
    return new DataException(archive + " ends in the middle of " + what + ": the tarball is"
        + " truncated; delete it and fetch again");
  }
}
