package io.github.hidlr.cli.data;

import java.util.Objects;

/**
 * A dataset's training and test images, as MNIST and Fashion-MNIST ship them.
 *
 * @param train the training split
 * @param test the test split
 */
public record ImageSplits(ImageSet train, ImageSet test) {

  /**
   * Checks that both splits have images of one size.
   *
   * @throws IllegalArgumentException when the image sizes differ
   */
  public ImageSplits {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (train.rows() != test.rows() || train.cols() != test.cols()) {
      throw new IllegalArgumentException("training images are " + train.rows() + "×"
          + train.cols() + " but test images are " + test.rows() + "×" + test.cols());
    }
  }
}
