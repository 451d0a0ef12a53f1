package io.github.hidlr.core.state;

import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import io.github.hidlr.core.tuner.TunerState;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The on-disk form of a {@link TunerState}, version 1. UTF-8 text, one record per line,
 * fields separated by single spaces, doubles in Java's exact hexadecimal notation so that a
 * resumed run is bit-for-bit the same:
 * <pre>
 * hidlr-tuner-state 1
 * group &lt;size&gt; &lt;name&gt;          (one line per group, in layout order)
 * step &lt;t&gt;
 * probes &lt;count&gt;
 * estimates &lt;ê_1&gt; … &lt;ê_K&gt;
 * moment-a &lt;ā_1&gt; … &lt;ā_K&gt;
 * moment-b &lt;b̄_1&gt; … &lt;b̄_K&gt;
 * probe-scale &lt;h_1/ê_1&gt; … &lt;h_K/ê_K&gt;
 * frozen &lt;0|1&gt; … 
 * low-influence-streak &lt;n_1&gt; … 
 * crc32 &lt;8 hex digits of the CRC-32 of every preceding byte&gt;
 * </pre>
 * Reading checks the header, the checksum and that the groups (names and sizes, in order)
 * equal the layout being restored into; any mismatch is an {@link IllegalArgumentException}
 * naming both sides.
 */
public final class TunerStateFormat {

  /** The first line of every file. */
  public static final String HEADER = "hidlr-tuner-state 1";

  private TunerStateFormat() {}

  /**
   * Writes a state.
   *
   * @param state the state
   * @param layout the groups it belongs to
   * @param out where to write; not closed
   * @throws IOException if writing fails
   */
  public static void write(TunerState state, GroupLayout layout, Writer out) throws IOException {
    int k = layout.size();
    if (state.estimates().length != k) {
      throw new IllegalArgumentException("state has " + state.estimates().length
          + " groups but the layout has " + k);
    }
    StringBuilder body = new StringBuilder(HEADER).append('\n');
    for (ParameterGroup group : layout.groups()) {
      if (group.name().indexOf('\n') >= 0 || group.name().indexOf('\r') >= 0) {
        throw new IllegalArgumentException(
            "group name \"" + group.name() + "\" contains a line break and cannot be saved");
      }
      body.append("group ").append(group.size()).append(' ').append(group.name()).append('\n');
    }
    body.append("step ").append(state.step()).append('\n');
    body.append("probes ").append(state.probes()).append('\n');
    doubles(body, "estimates", state.estimates());
    doubles(body, "moment-a", state.momentA());
    doubles(body, "moment-b", state.momentB());
    doubles(body, "probe-scale", state.probeScale());
    body.append("frozen");
    for (boolean f : state.frozen()) {
      body.append(' ').append(f ? 1 : 0);
    }
    body.append('\n').append("low-influence-streak");
    for (int s : state.lowInfluenceStreak()) {
      body.append(' ').append(s);
    }
    body.append('\n');
    out.write(body.toString());
    out.write(String.format("crc32 %08x%n", crc(body.toString())));
    out.flush();
  }

  /**
   * Writes a state to a string.
   *
   * @param state the state
   * @param layout its groups
   * @return the text
   */
  public static String toText(TunerState state, GroupLayout layout) {
    StringWriter writer = new StringWriter();
    try {
      write(state, layout, writer);
    } catch (IOException e) {
      throw new IllegalStateException("StringWriter failed", e);
    }
    return writer.toString();
  }

  /**
   * Reads a state and checks it against the layout it is restored into.
   *
   * @param in the text; not closed
   * @param layout the groups of the tuner being restored
   * @return the state
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if the text is corrupt, truncated, of another version or
   *     for other groups
   */
  public static TunerState read(Reader in, GroupLayout layout) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      text.append(buffer, 0, n);
    }
    return fromText(text.toString(), layout);
  }

  /**
   * Parses a state from text.
   *
   * @param text the text
   * @param layout the groups of the tuner being restored
   * @return the state
   */
  public static TunerState fromText(String text, GroupLayout layout) {
    String normalized = text.replace("\r\n", "\n");
    int crcLine = normalized.lastIndexOf("crc32 ");
    if (!normalized.startsWith(HEADER + "\n")) {
      String first = normalized.lines().findFirst().orElse("");
      throw corrupt("it does not start with \"" + HEADER + "\" (found \"" + abbreviate(first)
          + "\"); it is not a version-1 hidlr tuner state");
    }
    if (crcLine < 0) {
      throw corrupt("the crc32 line is missing: the file is truncated");
    }
    String body = normalized.substring(0, crcLine);
    String stored = normalized.substring(crcLine + "crc32 ".length()).trim();
    String actual = String.format("%08x", crc(body));
    if (!stored.equals(actual)) {
      throw corrupt("checksum mismatch (stored " + abbreviate(stored) + ", computed " + actual
          + "): the file was modified or damaged");
    }
    List<String> lines = body.lines().toList();
    int line = 1;
    List<ParameterGroup> groups = new ArrayList<>();
    while (line < lines.size() && lines.get(line).startsWith("group ")) {
      String rest = lines.get(line).substring("group ".length());
      int space = rest.indexOf(' ');
      try {
        groups.add(new ParameterGroup(rest.substring(space + 1),
            Long.parseLong(rest.substring(0, space))));
      } catch (RuntimeException e) {
        throw corrupt("line " + (line + 1) + " is not \"group <size> <name>\": "
            + abbreviate(lines.get(line)));
      }
      line++;
    }
    if (!groups.equals(layout.groups())) {
      throw new IllegalArgumentException("tuner state was saved for groups "
          + describe(groups) + " but is being restored into " + describe(layout.groups())
          + ": restore it into a model grouped the same way, or start the tuner afresh");
    }
    int k = groups.size();
    try {
      long step = Long.parseLong(field(lines, line++, "step"));
      long probes = Long.parseLong(field(lines, line++, "probes"));
      double[] estimates = parseDoubles(field(lines, line++, "estimates"), k);
      double[] momentA = parseDoubles(field(lines, line++, "moment-a"), k);
      double[] momentB = parseDoubles(field(lines, line++, "moment-b"), k);
      double[] probeScale = parseDoubles(field(lines, line++, "probe-scale"), k);
      String[] frozenText = split(field(lines, line++, "frozen"), k);
      boolean[] frozen = new boolean[k];
      for (int i = 0; i < k; i++) {
        frozen[i] = switch (frozenText[i]) {
          case "0" -> false;
          case "1" -> true;
          default -> throw corrupt("frozen flag \"" + frozenText[i] + "\" is not 0 or 1");
        };
      }
      String[] streakText = split(field(lines, line, "low-influence-streak"), k);
      int[] streak = new int[k];
      for (int i = 0; i < k; i++) {
        streak[i] = Integer.parseInt(streakText[i]);
      }
      return new TunerState(
          step, probes, estimates, momentA, momentB, probeScale, frozen, streak);
    } catch (NumberFormatException e) {
      throw corrupt("a number does not parse: " + e.getMessage());
    }
  }

  private static void doubles(StringBuilder out, String key, double[] values) {
    out.append(key);
    for (double v : values) {
      out.append(' ').append(Double.toHexString(v));
    }
    out.append('\n');
  }

  private static String field(List<String> lines, int index, String key) {
    if (index >= lines.size() || !lines.get(index).startsWith(key + " ")
        && !lines.get(index).equals(key)) {
      throw corrupt("expected a \"" + key + "\" line at line " + (index + 1)
          + (index < lines.size() ? ", found \"" + abbreviate(lines.get(index)) + "\"" : ""));
    }
    return lines.get(index).substring(key.length()).trim();
  }

  private static String[] split(String text, int k) {
    String[] parts = text.isEmpty() ? new String[0] : text.split(" ");
    if (parts.length != k) {
      throw corrupt(parts.length + " values where " + k + " groups need " + k);
    }
    return parts;
  }

  private static double[] parseDoubles(String text, int k) {
    String[] parts = split(text, k);
    double[] values = new double[k];
    for (int i = 0; i < k; i++) {
      values[i] = Double.parseDouble(parts[i]);
    }
    return values;
  }

  private static long crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  private static String describe(List<ParameterGroup> groups) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < groups.size(); i++) {
      out.append(i > 0 ? ", " : "").append(groups.get(i).name()).append('=')
          .append(groups.get(i).size());
    }
    return out.append(']').toString();
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }

  private static IllegalArgumentException corrupt(String why) {
    return new IllegalArgumentException("corrupt tuner state: " + why
        + ". Restore from an intact checkpoint or start the tuner afresh.");
  }
}
