package io.github.hidlr.cli;

/**
 * How large an experiment runs: {@code tiny} (seconds, for tests), {@code quick} (the whole
 * {@code reproduce} in minutes on 2 cores) and {@code full} (paper-sized, several seeds).
 */
public enum Profile {
  /** Seconds per experiment: keeps every experiment exercised by the tests. */
  TINY,
  /** The default: every experiment at a size that shows the effect, in minutes overall. */
  QUICK,
  /** Paper-sized runs, mean ± std over at least 3 seeds. */
  FULL;

  /**
   * Picks a value by profile.
   *
   * @param tiny value for {@link #TINY}
   * @param quick value for {@link #QUICK}
   * @param full value for {@link #FULL}
   * @return the value for this profile
   */
  public int pick(int tiny, int quick, int full) {
    return switch (this) {
      case TINY -> tiny;
      case QUICK -> quick;
      case FULL -> full;
    };
  }

  /**
   * The lower-case name used on the command line and in files.
   *
   * @return e.g. {@code "quick"}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
