package io.github.hidlr.cli.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A BERT encoder on DJL blocks: word, position and token-type embeddings summed and
 * normalised, then {@link BertLayer}s. Input {@code (token ids [B, L] int64, attention mask
 * [B, L], 1 on tokens and 0 on padding)}; output the last hidden states {@code [B, L, H]}.
 * Token types are all 0 (one segment). {@link #meanPool} averages the hidden states over the
 * real tokens, as sentence-transformers does.
 */
public final class BertEncoder extends AbstractBlock {

  private final BertConfig config;
  private final Parameter words;
  private final Parameter positions;
  private final Parameter tokenTypes;
  private final LayerNorm embeddingNorm;
  private final List<BertLayer> layers = new ArrayList<>();

  /**
   * An encoder with fresh parameters; load trained ones with {@link MiniLmWeights}.
   *
   * @param config the sizes
   */
  public BertEncoder(BertConfig config) {
    this.config = config;
    words = addParameter(Parameter.builder().setName("wordEmbeddings")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.vocabulary(), config.hidden())).build());
    positions = addParameter(Parameter.builder().setName("positionEmbeddings")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.maxPositions(), config.hidden())).build());
    tokenTypes = addParameter(Parameter.builder().setName("tokenTypeEmbeddings")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.typeVocabulary(), config.hidden())).build());
    embeddingNorm = addChildBlock("embeddingNorm",
        LayerNorm.builder().axis(2).optEpsilon(config.epsilon()).build());
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new BertLayer(config)));
    }
  }

  /**
   * The sizes.
   *
   * @return the configuration
   */
  public BertConfig config() {
    return config;
  }

  /**
   * The transformer layers, bottom first.
   *
   * @return the layers
   */
  public List<BertLayer> layers() {
    return List.copyOf(layers);
  }

  /**
   * The embedding tables and their LayerNorm, by Hugging Face name.
   *
   * @param name {@code word}, {@code position}, {@code tokenType}
   * @return the parameter
   */
  Parameter embedding(String name) {
    return switch (name) {
      case "word" -> words;
      case "position" -> positions;
      case "tokenType" -> tokenTypes;
      default -> throw new IllegalArgumentException("no embedding " + name);
    };
  }

  LayerNorm embeddingNorm() {
    return embeddingNorm;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.get(1);
    NDArray hidden = embed(store, ids, training);
    return new NDList(layersOn(store, hidden, mask, 0, layers.size(), training));
  }

  /**
   * The normalised embeddings of token ids.
   *
   * @param store the parameter store
   * @param ids token ids {@code [B, L]}
   * @param training whether this is a training pass
   * @return {@code [B, L, H]}
   */
  public NDArray embed(ParameterStore store, NDArray ids, boolean training) {
    long length = ids.getShape().get(1);
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + length + " tokens is longer than the "
          + config.maxPositions() + " positions the model knows");
    }
    NDArray w = store.getValue(words, ids.getDevice(), training);
    NDArray p = store.getValue(positions, ids.getDevice(), training);
    NDArray t = store.getValue(tokenTypes, ids.getDevice(), training);
    NDArray summed = w.get(ids.toType(DataType.INT64, false))
        .add(p.get("0:" + length).expandDims(0))
        .add(t.get(0));
    return embeddingNorm.forward(store, new NDList(summed), training).head();
  }

  /**
   * Layers {@code [from, to)} on hidden states.
   *
   * @param store the parameter store
   * @param hidden {@code [B, L, H]}
   * @param mask the attention mask {@code [B, L]}
   * @param from first layer
   * @param to one past the last layer
   * @param training whether this is a training pass
   * @return {@code [B, L, H]}
   */
  public NDArray layersOn(ParameterStore store, NDArray hidden, NDArray mask, int from, int to,
      boolean training) {
    NDArray bias = maskBias(mask);
    NDList state = new NDList(hidden, bias);
    for (int i = from; i < to; i++) {
      state = layers.get(i).forward(store, state, training);
    }
    return state.head();
  }

  /**
   * The additive attention mask: 0 on tokens, −10,000 on padding, shaped {@code [B, 1, 1, L]}.
   *
   * @param mask 1 on tokens, 0 on padding, {@code [B, L]}
   * @return the bias
   */
  public static NDArray maskBias(NDArray mask) {
    NDArray m = mask.toType(DataType.FLOAT32, false);
    return m.neg().add(1f).mul(-10000f).expandDims(1).expandDims(1);
  }

  /**
   * The mean of the hidden states over the real tokens.
   *
   * @param hidden {@code [B, L, H]}
   * @param mask 1 on tokens, 0 on padding, {@code [B, L]}
   * @return {@code [B, H]}
   */
  public static NDArray meanPool(NDArray hidden, NDArray mask) {
    NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(-1);
    return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hidden())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    Shape hidden = new Shape(shapes[0].get(0), shapes[0].get(1), config.hidden());
    embeddingNorm.initialize(manager, dataType, hidden);
    Shape bias = new Shape(shapes[0].get(0), 1, 1, shapes[0].get(1));
    for (BertLayer layer : layers) {
      layer.initialize(manager, dataType, hidden, bias);
    }
  }
}
