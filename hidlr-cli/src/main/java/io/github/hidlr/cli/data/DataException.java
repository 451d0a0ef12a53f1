package io.github.hidlr.cli.data;

/**
 * Any failure to fetch, verify or read a dataset: a missing tool, a failed download, a checksum
 * mismatch, a corrupt or truncated file. The message names the file or command at fault and says
 * how to fix it (for fetch failures: the exact commands to fetch the files by hand).
 */
public final class DataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * A failure with no underlying cause.
   *
   * @param message what went wrong and how to fix it
   */
  public DataException(String message) {
    super(message);
  }

  /**
   * A failure caused by another exception (usually an I/O error).
   *
   * @param message what went wrong and how to fix it
   * @param cause the underlying exception
   */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
