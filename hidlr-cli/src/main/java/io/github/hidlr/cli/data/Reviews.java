package io.github.hidlr.cli.data;

import java.util.List;

/**
 * Labelled review texts, one split of a text data set.
 *
 * @param texts the reviews, as published (HTML line breaks {@code <br />} included)
 * @param labels 1 for a great (five-star) review, 0 otherwise, one per text
 */
public record Reviews(List<String> texts, int[] labels) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the counts differ, a text is missing or a label is not
   *     0 or 1
   */
  public Reviews {
    texts = List.copyOf(texts);
    labels = labels.clone();
    if (texts.size() != labels.length) {
      throw new IllegalArgumentException(texts.size() + " texts but " + labels.length
          + " labels");
    }
    for (int label : labels) {
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException("label " + label + " is not 0 or 1");
      }
    }
  }

  /**
   * The labels.
   *
   * @return a copy
   */
  @Override
  public int[] labels() {
    return labels.clone();
  }
}
