package io.github.hidlr.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The results folder: checked before a run, and experiment folders swapped in whole. */
final class OutputFolders {

  private OutputFolders() {}

  /**
   * Creates the results folder, or says why it cannot.
   *
   * @param out the folder given with {@code --out}
   * @throws IllegalArgumentException naming the reason and the fix
   */
  static void prepare(Path out) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " is a file, not a folder: remove it"
          + " or choose another --out");
    }
    try {
      Files.createDirectories(out);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("--out " + out + ": no permission to create "
          + e.getFile() + "; choose a folder you can write to", e);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException("--out " + out + ": " + e.getFile() + " is a file in"
          + " the way; remove it or choose another --out", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("--out " + out + " cannot be created: "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
    if (!Files.isWritable(out)) {
      throw new IllegalArgumentException("--out " + out + ": no permission to write there;"
          + " choose a folder you can write to");
    }
  }

  /**
   * Puts a complete folder in place of the target: the old target is moved aside, the new
   * one renamed in, the old one deleted.
   *
   * @param complete the finished staging folder
   * @param target the experiment's folder
   */
  static void replace(Path complete, Path target) {
    Path old = target.resolveSibling("." + target.getFileName() + ".old");
    try {
      delete(old);
      if (Files.exists(target)) {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
      delete(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the finished run " + complete + " to "
          + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a folder and everything in it, if it exists.
   *
   * @param dir the folder
   */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException gone) {
          // already gone
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
