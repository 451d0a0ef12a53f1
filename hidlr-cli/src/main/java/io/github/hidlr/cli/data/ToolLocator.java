package io.github.hidlr.cli.data;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds an external program ({@code npm}, {@code apt-get}, {@code dpkg-deb}) by name. The fetcher
 * takes one so that tests can simulate a machine that lacks a tool, or substitute a fake one.
 */
@FunctionalInterface
public interface ToolLocator {

  /**
   * Looks a program up.
   *
   * @param name the program's name, e.g. {@code "npm"}
   * @return the executable, or empty when there is none
   */
  Optional<Path> find(String name);

  /**
   * Searches the folders of this process's {@code PATH}, like a shell does.
   *
   * @return the locator
   */
  static ToolLocator onPath() {
    return onPath(Objects.requireNonNullElse(System.getenv("PATH"), ""));
  }

  /**
   * Searches the folders of a {@code PATH}-style list (separated by {@link File#pathSeparator}).
   *
   * @param path the folder list, e.g. {@code "/usr/local/bin:/usr/bin"}
   * @return the locator
   */
  static ToolLocator onPath(String path) {
    Objects.requireNonNull(path, "path");
    return name -> {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    };
  }
}
