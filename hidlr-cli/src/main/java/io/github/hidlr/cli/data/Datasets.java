package io.github.hidlr.cli.data;

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

  private static ImageSplits images(DataCache cache, DatasetId id) {
    cache.ensure(id);
    ImageSet train = IdxReader.read(cache.path(id, FileRole.TRAIN_IMAGES),
        cache.path(id, FileRole.TRAIN_LABELS));
    ImageSet test = IdxReader.read(cache.path(id, FileRole.TEST_IMAGES),
        cache.path(id, FileRole.TEST_LABELS));
    return new ImageSplits(train, test);
  }
}
