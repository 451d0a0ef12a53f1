package io.github.hidlr.cli.data;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a dataset: where it sits in the package and in the cache, and what its content
 * must be.
 *
 * <p>The checksum and size are those of the <em>content</em>: for a gzip file
 * ({@code name} ending in {@code .gz}) the decompressed bytes, otherwise the file's bytes. So a
 * rebuilt package that recompresses identical data still verifies, while any change to the data
 * itself does not.
 *
 * @param role what the file holds
 * @param name the file name in the dataset's cache folder, e.g. {@code "train-images-idx3-ubyte"}
 * @param packagePath the path inside the unpacked package, with {@code /} separators
 * @param sha256 the SHA-256 of the content, 64 lower-case hex digits
 * @param contentSize the size of the content in bytes
 */
public record DataFile(FileRole role, String name, String packagePath, String sha256,
    long contentSize) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * Validates every component.
   *
   * @throws IllegalArgumentException when the name has a path separator, the package path is
   *     absolute or climbs out of the package, the checksum is not 64 lower-case hex digits, or
   *     the size is negative
   */
  public DataFile {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(packagePath, "packagePath");
    Objects.requireNonNull(sha256, "sha256");
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("file name '" + name + "' must be a plain file name"
          + " (no folders, not hidden)");
    }
    if (packagePath.isEmpty() || packagePath.startsWith("/") || packagePath.contains("..")) {
      throw new IllegalArgumentException("package path '" + packagePath + "' must be relative to"
          + " the package root and stay inside it");
    }
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("checksum '" + sha256 + "' of " + name
          + " is not a SHA-256: write 64 lower-case hex digits");
    }
    if (contentSize < 0) {
      throw new IllegalArgumentException("content size " + contentSize + " of " + name
          + " is negative");
    }
  }

  /**
   * Whether the file is gzip-compressed (its name ends in {@code .gz}), so that its checksum is
   * taken over the decompressed bytes.
   *
   * @return true for {@code .gz} files
   */
  public boolean gzipped() {
    return name.endsWith(".gz");
  }
}
