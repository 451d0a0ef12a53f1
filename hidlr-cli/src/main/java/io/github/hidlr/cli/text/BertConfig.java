package io.github.hidlr.cli.text;

/**
 * The sizes of a BERT encoder (Devlin et al. 2019).
 *
 * @param vocabulary word-piece vocabulary size
 * @param hidden hidden width {@code H}
 * @param layers number of transformer layers
 * @param heads attention heads (divides {@code H})
 * @param intermediate width of the feed-forward layer
 * @param maxPositions longest sequence the position embeddings cover
 * @param typeVocabulary number of token types (segments)
 * @param epsilon LayerNorm's {@code ε}
 */
public record BertConfig(int vocabulary, int hidden, int layers, int heads, int intermediate,
    int maxPositions, int typeVocabulary, float epsilon) {

  /** all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, feed-forward 1,536, 22.6 M parameters. */
  public static final BertConfig MINILM_L6 =
      new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f);

  /**
   * Checks the sizes.
   *
   * @throws IllegalArgumentException if a size is not positive or the heads do not divide H
   */
  public BertConfig {
    if (vocabulary < 1 || hidden < 1 || layers < 1 || heads < 1 || intermediate < 1
        || maxPositions < 1 || typeVocabulary < 1 || !(epsilon > 0)) {
      throw new IllegalArgumentException("every BERT size must be positive: " + this);
    }
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(heads + " heads do not divide the hidden width "
          + hidden);
    }
  }
}
