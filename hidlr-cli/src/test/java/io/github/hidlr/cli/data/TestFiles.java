package io.github.hidlr.cli.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Generates the files the data tests read: IDX files, gzip, tarballs, fake programs. */
final class TestFiles {

  private TestFiles() {}

  /** An unsigned-byte IDX file's bytes. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A gzip-compressed ustar archive of regular files, names over 100 chars split to prefix. */
  static byte[] tgz(Map<String, byte[]> entries) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      byte[] h = new byte[512];
      String name = e.getKey();
      String prefix = "";
      if (name.length() > 100) {
        int cut = name.lastIndexOf('/', 154);
        prefix = name.substring(0, cut);
        name = name.substring(cut + 1);
      }
      put(h, 0, name);
      put(h, 100, "0000644");
      put(h, 108, "0001750");
      put(h, 116, "0001750");
      put(h, 124, String.format("%011o", e.getValue().length));
      put(h, 136, String.format("%011o", 1_600_000_000L));
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      put(h, 345, prefix);
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      tar.writeBytes(h);
      tar.writeBytes(e.getValue());
      tar.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
    }
    tar.writeBytes(new byte[1024]);
    return gzip(tar.toByteArray());
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = ascii(s);
    System.arraycopy(b, 0, h, off, b.length);
  }

  /** An executable {@code sh} script standing in for a program. */
  static Path script(Path dir, String name, String body) {
    Path file = write(dir.resolve(name), ascii("#!/bin/sh\n" + body + "\n"));
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
