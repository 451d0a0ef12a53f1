package io.github.hidlr.cli.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads the numeric tables scikit-learn ships in {@code sklearn/datasets/data/}, plain or gzip
 * (recognised by content).
 *
 * <ul>
 *   <li>{@link #readSklearnCsv}: scikit-learn's own CSV layout, used by
 *       {@code boston_house_prices.csv}: line 1 holds the row and feature counts
 *       ({@code 506,13,,,…}), line 2 the column names (the features, then the target,
 *       {@code "CRIM",…,"LSTAT","MEDV"}), then one comma-separated row per sample with the
 *       target last;
 *   <li>{@link #readDiabetes}: {@code diabetes_data_raw.csv.gz}, 442 rows of 10
 *       space-separated values with no header, and {@code diabetes_target.csv.gz}, one value per
 *       line.
 * </ul>
 *
 * <p>Every row must have the same number of finite numbers; a ragged row, a cell that is not a
 * number, or fewer rows than the header announces is a {@link DataException} naming the file and
 * line. Blank lines are skipped, as numpy's {@code loadtxt} does.
 */
public final class CsvTable {

  /** The diabetes features, named as scikit-learn names them. */
  public static final List<String> DIABETES_FEATURES =
      List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");

  private CsvTable() {}

  /**
   * Reads a table in scikit-learn's CSV layout (counts line, names line, rows with the target
   * last), such as {@code boston_house_prices.csv}.
   *
   * @param file the file
   * @return the features (named by the names line, the target's name dropped) and the target
   * @throws DataException when the file is unreadable, its header is malformed, a row is ragged
   *     or not numeric, or the row count differs from line 1
   */
  public static Table readSklearnCsv(Path file) {
    List<String> lines = readLines(file);
    if (lines.size() < 2) {
      throw corrupt(file, 0, "has " + lines.size() + " lines, fewer than the two header lines"
          + " (counts, then names): it is truncated or not a scikit-learn CSV");
    }
    String[] counts = lines.get(0).split(",", -1);
    int samples;
    int features;
    try {
      samples = Integer.parseInt(counts[0].trim());
      features = Integer.parseInt(counts.length > 1 ? counts[1].trim() : "");
    } catch (NumberFormatException e) {
      throw corrupt(file, 1, "should start with the row and feature counts (e.g. '506,13')"
          + " but is '" + abbreviate(lines.get(0)) + "'");
    }
    if (samples < 0 || features < 1) {
      throw corrupt(file, 1, "declares " + samples + " rows of " + features + " features");
    }
    List<String> names = new ArrayList<>();
    for (String cell : lines.get(1).split(",", -1)) {
      names.add(unquote(cell.trim()));
    }
    if (names.size() != features + 1) {
      throw corrupt(file, 2, "names " + names.size() + " columns but line 1 declares "
          + features + " features plus the target");
    }
    List<double[]> rows = parseRows(file, lines, 2, ",", features + 1,
        features + " features and the target");
    if (rows.size() != samples) {
      throw corrupt(file, 0, "holds " + rows.size() + " rows but line 1 declares " + samples
          + (rows.size() < samples ? ": it is truncated" : ": it is corrupt"));
    }
    double[][] x = new double[samples][];
    double[] y = new double[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = Arrays.copyOf(rows.get(i), features);
      y[i] = rows.get(i)[features];
    }
    return new Table(names.subList(0, features), x, y);
  }

  /**
   * Reads scikit-learn's diabetes data: a whitespace-separated features file with no header and a
   * target file with one value per line.
   *
   * @param data {@code diabetes_data_raw.csv.gz}: rows of {@link #DIABETES_FEATURES} values
   * @param target {@code diabetes_target.csv.gz}: one value per row of {@code data}
   * @return the table in original units (see {@link Table#centeredUnitNorm()} for
   *     scikit-learn's default scaling)
   * @throws DataException when a file is unreadable, a row is ragged or not numeric, or the row
   *     counts differ
   */
  public static Table readDiabetes(Path data, Path target) {
    int p = DIABETES_FEATURES.size();
    List<double[]> rows = parseRows(data, readLines(data), 0, null, p,
        p + " features " + DIABETES_FEATURES);
    List<double[]> ys = parseRows(target, readLines(target), 0, null, 1, "one target value");
    if (rows.size() != ys.size()) {
      throw new DataException(data + " holds " + rows.size() + " rows but " + target
          + " holds " + ys.size() + " values: a file is truncated or they do not belong"
          + " together. Delete them and fetch the dataset again ('hidlr data fetch').");
    }
    double[][] x = rows.toArray(new double[0][]);
    double[] y = new double[ys.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = ys.get(i)[0];
    }
    return new Table(DIABETES_FEATURES, x, y);
  }

  /**
   * Parses numeric rows.
   *
   * @param file the file, for messages
   * @param lines all lines of the file
   * @param skip how many header lines to skip
   * @param separator the cell separator, or null for runs of whitespace
   * @param columns how many values each row must have
   * @param what what a row holds, for messages
   * @return one array per non-blank line
   */
  static List<double[]> parseRows(Path file, List<String> lines, int skip, String separator,
      int columns, String what) {
    List<double[]> rows = new ArrayList<>();
    for (int i = skip; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = separator == null ? line.split("\\s+") : line.split(separator, -1);
      int lineNo = i + 1;
      if (cells.length != columns) {
        throw corrupt(file, lineNo, "has " + cells.length + " values but every row needs "
            + columns + " (" + what + "): the file is ragged or damaged");
      }
      double[] row = new double[columns];
      for (int j = 0; j < columns; j++) {
        String cell = cells[j].trim();
        try {
          row[j] = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw corrupt(file, lineNo, "column " + (j + 1) + ": '" + abbreviate(cell)
              + "' is not a number");
        }
        if (!Double.isFinite(row[j])) {
          throw corrupt(file, lineNo, "column " + (j + 1) + ": '" + cell + "' is not a finite"
              + " number");
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<String> readLines(Path file) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        Checksums.openContent(file), StandardCharsets.UTF_8))) {
      return r.lines().toList();
    } catch (java.io.UncheckedIOException e) {
      return rethrow(file, e.getCause());
    } catch (IOException e) {
      return rethrow(file, e);
    }
  }

  private static List<String> rethrow(Path file, IOException e) {
    if (e instanceof EOFException || e instanceof ZipException) {
      throw new DataException(file + " is a corrupt or truncated gzip file (" + e.getMessage()
          + "). Delete it and fetch the dataset again ('hidlr data fetch').", e);
    }
    throw new DataException("cannot read " + file + ": " + e, e);
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static DataException corrupt(Path file, int line, String problem) {
    String where = line > 0 ? file + " line " + line + " " : file + " ";
    return new DataException(where + problem + ". Delete it and fetch the dataset again"
        + " ('hidlr data fetch').");
  }
}
