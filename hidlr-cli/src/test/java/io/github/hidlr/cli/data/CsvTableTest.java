package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

  @TempDir
  Path dir;

  private static final String BOSTON_LIKE = """
      3,2,,
      "CRIM","ZN","MEDV"
      0.00632,18,24
      0.02731,0,21.6

      0.02729,0,34.7
      """;

  private Path file(String name, String text) {
    return TestFiles.write(dir.resolve(name), TestFiles.ascii(text));
  }

  @Test
  void readsScikitLearnCsv() {
    Table t = CsvTable.readSklearnCsv(file("b.csv", BOSTON_LIKE));

    assertThat(t.featureNames()).containsExactly("CRIM", "ZN");
    assertThat(t.rows()).isEqualTo(3);
    assertThat(t.x()[1]).containsExactly(0.02731, 0.0);
    assertThat(t.y()).containsExactly(24, 21.6, 34.7);
  }

  @Test
  void readsGzipByContent() {
    Path gz = TestFiles.write(dir.resolve("b.csv"), TestFiles.gzip(TestFiles.ascii(BOSTON_LIKE)));
    assertThat(CsvTable.readSklearnCsv(gz).rows()).isEqualTo(3);
  }

  @Test
  void rejectsARaggedRowNamingTheLine() {
    Path f = file("b.csv", BOSTON_LIKE.replace("0.02731,0,21.6", "0.02731,21.6"));

    assertThatThrownBy(() -> CsvTable.readSklearnCsv(f))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(f + " line 4 has 2 values but every row needs 3")
        .hasMessageContaining("ragged");
  }

  @Test
  void rejectsANonNumericCellNamingLineAndColumn() {
    Path f = file("b.csv", BOSTON_LIKE.replace("0.02729,0,34.7", "0.02729,n/a,34.7"));

    assertThatThrownBy(() -> CsvTable.readSklearnCsv(f))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("line 6 column 2: 'n/a' is not a number");
  }

  @Test
  void rejectsNonFiniteValues() {
    Path f = file("b.csv", BOSTON_LIKE.replace("0.02729,0,34.7", "0.02729,NaN,34.7"));

    assertThatThrownBy(() -> CsvTable.readSklearnCsv(f))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("'NaN' is not a finite number");
  }

  @Test
  void rejectsFewerRowsThanDeclared() {
    Path f = file("b.csv", BOSTON_LIKE.replace("0.02729,0,34.7\n", ""));

    assertThatThrownBy(() -> CsvTable.readSklearnCsv(f))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("holds 2 rows but line 1 declares 3: it is truncated");
  }

  @Test
  void rejectsABadHeader() {
    assertThatThrownBy(() -> CsvTable.readSklearnCsv(file("a.csv", "CRIM,ZN\n1,2\n")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("line 1 should start with the row and feature counts");
    assertThatThrownBy(() -> CsvTable.readSklearnCsv(file("b.csv",
        "1,2,,\n\"A\",\"B\"\n1,2,3\n")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("line 2 names 2 columns but line 1 declares 2 features plus the"
            + " target");
  }

  private static String diabetesRows(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(20 + i).append(' ').append(1 + i % 2).append(" 32.1 101.0 157 93.2 38.0 4.0 ")
          .append(4.8598 + i).append(' ').append(87 + 3 * i).append('\n');
    }
    return s.toString();
  }

  @Test
  void readsDiabetesFilesAndScalesLikeScikitLearn() {
    Path data = TestFiles.write(dir.resolve("d.gz"),
        TestFiles.gzip(TestFiles.ascii(diabetesRows(4))));
    Path target = TestFiles.write(dir.resolve("t.gz"),
        TestFiles.gzip(TestFiles.ascii("1.51e+02\n7.5e+01\n1.41e+02\n2.06e+02\n")));

    Table raw = CsvTable.readDiabetes(data, target);

    assertThat(raw.featureNames()).isEqualTo(CsvTable.DIABETES_FEATURES);
    assertThat(raw.value(3, 0)).isEqualTo(23);
    assertThat(raw.y()).containsExactly(151, 75, 141, 206);

    Table scaled = raw.centeredUnitNorm();
    double norm = 0;
    double mean = 0;
    for (int i = 0; i < 4; i++) {
      norm += scaled.value(i, 0) * scaled.value(i, 0);
      mean += scaled.value(i, 0);
    }
    assertThat(norm).isCloseTo(1, within(1e-12));
    assertThat(mean).isCloseTo(0, within(1e-12));
    assertThat(scaled.value(0, 2)).as("a constant column becomes zeros").isZero();
    assertThat(scaled.y()).isEqualTo(raw.y());
  }

  @Test
  void rejectsDiabetesFilesOfDifferentLengths() {
    Path data = file("d", diabetesRows(3));
    Path target = file("t", "1\n2\n");

    assertThatThrownBy(() -> CsvTable.readDiabetes(data, target))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("holds 3 rows but")
        .hasMessageContaining("holds 2 values");
  }

  @Test
  void rejectsARaggedDiabetesRow() {
    Path data = file("d", diabetesRows(2) + "1 2 3\n");

    assertThatThrownBy(() -> CsvTable.readDiabetes(data, file("t", "1\n2\n3\n")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("line 3 has 3 values but every row needs 10");
  }

  @Test
  void tableIsImmutableAndValidated() {
    double[][] x = {{1, 2}};
    double[] y = {3};
    Table t = new Table(List.of("a", "b"), x, y);
    x[0][0] = 9;
    t.x()[0][1] = 9;
    assertThat(t.value(0, 0)).isEqualTo(1);
    assertThat(t.value(0, 1)).isEqualTo(2);
    assertThat(t).isEqualTo(new Table(List.of("a", "b"), new double[][] {{1, 2}},
        new double[] {3}));

    assertThatThrownBy(() -> new Table(List.of("a"), new double[][] {{1, 2}}, new double[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 0 has 2 values but there are 1 feature names");
    assertThatThrownBy(() -> new Table(List.of("a"), new double[][] {{1}}, new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 feature rows but 0 target values");
  }
}
