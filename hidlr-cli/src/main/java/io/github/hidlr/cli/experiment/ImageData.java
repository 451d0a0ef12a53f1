package io.github.hidlr.cli.experiment;

import io.github.hidlr.cli.Profile;
import io.github.hidlr.cli.data.DataCache;
import io.github.hidlr.cli.data.Datasets;
import io.github.hidlr.cli.data.ImageSet;
import io.github.hidlr.cli.data.ImageSplits;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.hidlr.cli.training.Task;
import java.util.Random;

/**
 * Image data for the experiments: MNIST and Fashion-MNIST from the data cache (fetched when
 * missing), or, in the {@code tiny} profile used by the tests, a small synthetic stand-in of
 * the same shape (10 classes, each a random prototype plus noise), so tests need no download.
 *
 * @param name the dataset's name, e.g. {@code "fashion-mnist"} or {@code "synthetic-images"}
 * @param trainX training images, {@code n × 784} in [0, 1], row-major
 * @param trainY training labels
 * @param testX test images
 * @param testY test labels
 */
public record ImageData(String name, float[] trainX, int[] trainY, float[] testX, int[] testY) {

  /** Pixels per image. */
  public static final int PIXELS = 28 * 28;

  /**
   * The first images of a dataset.
   *
   * @param profile tiny uses the synthetic stand-in
   * @param fashion Fashion-MNIST, else MNIST
   * @param train training images to keep
   * @param test test images to keep
   * @param seed seeds the synthetic stand-in
   * @return the data
   */
  public static ImageData load(Profile profile, boolean fashion, int train, int test, long seed) {
    if (profile == Profile.TINY) {
      return synthetic(train, test, seed + (fashion ? 1 : 0));
    }
    DataCache cache = DataCache.fromEnvironment();
    ImageSplits splits = fashion ? Datasets.fashionMnist(cache) : Datasets.mnist(cache);
    ImageSet tr = splits.train();
    ImageSet te = splits.test();
    int n = Math.min(train, tr.count());
    int m = Math.min(test, te.count());
    return new ImageData(fashion ? "fashion-mnist" : "mnist", tr.floats(0, n), tr.labels(0, n),
        te.floats(0, m), te.labels(0, m));
  }

  /**
   * The images as tensors of shape {@code (n, imageShape…)} and the labels as floats.
   *
   * @param manager where the arrays live
   * @param imageShape one image's shape, e.g. {@code 784} or {@code 1, 28, 28}
   * @return train and test arrays
   */
  public Task.Data tensors(NDManager manager, long... imageShape) {
    return new Task.Data(
        manager.create(trainX, new Shape(trainCount()).addAll(new Shape(imageShape))),
        manager.create(trainY).toType(DataType.FLOAT32, false),
        manager.create(testX, new Shape(testCount()).addAll(new Shape(imageShape))),
        manager.create(testY).toType(DataType.FLOAT32, false));
  }

  /**
   * Number of training images.
   *
   * @return the count
   */
  public int trainCount() {
    return trainY.length;
  }

  /**
   * Number of test images.
   *
   * @return the count
   */
  public int testCount() {
    return testY.length;
  }

  private static ImageData synthetic(int train, int test, long seed) {
    Random random = new Random(seed);
    float[][] prototypes = new float[10][PIXELS];
    for (float[] prototype : prototypes) {
      for (int i = 0; i < PIXELS; i++) {
        prototype[i] = random.nextFloat();
      }
    }
    float[] trainX = new float[train * PIXELS];
    int[] trainY = new int[train];
    float[] testX = new float[test * PIXELS];
    int[] testY = new int[test];
    fill(random, prototypes, trainX, trainY);
    fill(random, prototypes, testX, testY);
    return new ImageData("synthetic-images", trainX, trainY, testX, testY);
  }

  private static void fill(Random random, float[][] prototypes, float[] x, int[] y) {
    for (int n = 0; n < y.length; n++) {
      y[n] = random.nextInt(10);
      for (int i = 0; i < PIXELS; i++) {
        float v = prototypes[y[n]][i] + (float) (0.5 * random.nextGaussian());
        x[n * PIXELS + i] = Math.min(1, Math.max(0, v));
      }
    }
  }
}
