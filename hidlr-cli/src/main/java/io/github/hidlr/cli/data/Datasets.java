package io.github.hidlr.cli.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The datasets the experiments use, each in one call: the cache fetches what is missing (see
 * {@link DataCache#ensure(DatasetId)}) and the matching loader reads it.
 */
public final class Datasets {

  private Datasets() {}

  /**
   * MNIST: 60,000 training and 10,000 test digits, 28×28.
   *
   * @param cache where the files are, or will be fetched to
   * @return the splits
   * @throws DataException when the data cannot be fetched or read
   */
  public static ImageSplits mnist(DataCache cache) {
    return images(cache, DatasetId.MNIST);
  }

  /**
   * Fashion-MNIST: 60,000 training and 10,000 test clothing images, 28×28, 10 classes.
   *
   * @param cache where the files are, or will be fetched to
   * @return the splits
   * @throws DataException when the data cannot be fetched or read
   */
  public static ImageSplits fashionMnist(DataCache cache) {
    return images(cache, DatasetId.FASHION_MNIST);
  }

  /**
   * Boston house prices: 506 rows, 13 features in original units, target {@code MEDV} (median
   * value in $1000s).
   *
   * @param cache where the file is, or will be fetched to
   * @return the table
   * @throws DataException when the data cannot be fetched or read
   */
  public static Table boston(DataCache cache) {
    cache.ensure(DatasetId.BOSTON);
    return CsvTable.readSklearnCsv(cache.path(DatasetId.BOSTON, FileRole.TABLE));
  }

  /**
   * Diabetes as scikit-learn's {@code load_diabetes()} returns it by default: 442 rows, 10
   * features each centred and scaled to unit norm, the raw target (disease progression after
   * one year, 25 to 346).
   *
   * @param cache where the files are, or will be fetched to
   * @return the table
   * @throws DataException when the data cannot be fetched or read
   */
  public static Table diabetes(DataCache cache) {
    return diabetesRaw(cache).centeredUnitNorm();
  }

  /**
   * Diabetes in original units ({@code load_diabetes(scaled=False)}): age in years, sex as 1 or
   * 2, BMI, blood pressure and six serum measurements.
   *
   * @param cache where the files are, or will be fetched to
   * @return the table
   * @throws DataException when the data cannot be fetched or read
   */
  public static Table diabetesRaw(DataCache cache) {
    cache.ensure(DatasetId.DIABETES);
    return CsvTable.readDiabetes(cache.path(DatasetId.DIABETES, FileRole.TABLE),
        cache.path(DatasetId.DIABETES, FileRole.TARGET));
  }

  /**
   * Amazon fine-food reviews ({@code modeldata::small_fine_foods}): 4,000 training and 1,000
   * test reviews, label 1 for great (five stars).
   *
   * @param cache where the files are, or will be fetched to
   * @return the training and the test split, in that order
   * @throws DataException when the data cannot be fetched or read
   */
  public static List<Reviews> fineFoods(DataCache cache) {
    cache.ensure(DatasetId.FINE_FOODS);
    Path index = cache.path(DatasetId.FINE_FOODS, FileRole.R_INDEX);
    Path database = cache.path(DatasetId.FINE_FOODS, FileRole.R_DATABASE);
    try {
      Map<String, long[]> objects = RData.index(Files.readAllBytes(index));
      byte[] rdb = Files.readAllBytes(database);
      return List.of(reviews(rdb, objects, "training_data"), reviews(rdb, objects,
          "testing_data"));
    } catch (IOException | RuntimeException e) {
      throw new DataException("cannot read the fine-food reviews from " + index + " and "
          + database + " (" + e.getMessage() + "); fetch them again with `hidlr data fetch"
          + " fine-foods --force`", e);
    }
  }

  private static Reviews reviews(byte[] rdb, Map<String, long[]> objects, String name)
      throws IOException {
    RData.Vector frame = (RData.Vector) RData.object(rdb, objects, name);
    String[] texts = ((RData.Vector) frame.element("review")).strings();
    String[] scores = ((RData.Vector) frame.element("score")).factorLabels();
    int[] labels = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      labels[i] = "great".equals(scores[i]) ? 1 : 0;
    }
    return new Reviews(List.of(texts), labels);
  }

  private static ImageSplits images(DataCache cache, DatasetId id) {
    cache.ensure(id);
    ImageSet train = IdxReader.read(cache.path(id, FileRole.TRAIN_IMAGES),
        cache.path(id, FileRole.TRAIN_LABELS));
    ImageSet test = IdxReader.read(cache.path(id, FileRole.TEST_IMAGES),
        cache.path(id, FileRole.TEST_LABELS));
    return new ImageSplits(train, test);
  }
}
