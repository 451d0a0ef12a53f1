package io.github.hidlr.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an experiment's files into its folder, and nowhere else: JSON with snake_case names,
 * CSV traces, and PNG plots; remembers the plots for the report.
 */
public final class RunOutput {

  /** The JSON mapper: snake_case, indented, nulls kept (fields that do not apply). */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final List<String> plots = new ArrayList<>();

  /**
   * Output into a folder, created if missing.
   *
   * @param dir the experiment's folder
   */
  public RunOutput(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + dir, e);
    }
  }

  /**
   * The folder.
   *
   * @return the folder
   */
  public Path dir() {
    return dir;
  }

  /**
   * Writes an object as JSON.
   *
   * @param name file name, e.g. {@code "config.json"}
   * @param value any Jackson-serialisable value
   */
  public void json(String name, Object value) {
    try {
      JSON.writeValue(dir.resolve(name).toFile(), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  /**
   * Writes a CSV file: a header and rows of numbers or strings.
   *
   * @param name file name
   * @param header column names
   * @param rows the rows, each as long as the header
   */
  public void csv(String name, List<String> header, List<? extends List<?>> rows) {
    try (Writer out = Files.newBufferedWriter(dir.resolve(name))) {
      out.write(String.join(",", header));
      out.write('\n');
      for (List<?> row : rows) {
        if (row.size() != header.size()) {
          throw new IllegalArgumentException("CSV row of " + row.size() + " cells under a header"
              + " of " + header.size() + " in " + name);
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          if (i > 0) {
            line.append(',');
          }
          Object cell = row.get(i);
          line.append(cell instanceof Double d ? format(d) : String.valueOf(cell));
        }
        out.write(line.append('\n').toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  /**
   * Records a plot written into the folder, for the report.
   *
   * @param name the PNG's file name
   */
  public void plotWritten(String name) {
    plots.add(name);
  }

  /**
   * The plots written so far.
   *
   * @return file names
   */
  public List<String> plots() {
    return List.copyOf(plots);
  }

  private static String format(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.9g", value)
        : Double.toString(value);
  }
}
