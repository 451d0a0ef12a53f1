package io.github.hidlr.cli.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained top of a BERT classifier: the last transformer layers, mean pooling over the real
 * tokens and a linear head. Its input is what the frozen lower layers produced, with the
 * attention mask as one more channel: {@code [B, L, H + 1]}, the last channel 1 on tokens and
 * 0 on padding, so that one array carries a batch (as the experiments' trainer expects).
 * Parameter names start with {@code NNlayerK_} for the layers and {@code NNhead_} for the head.
 */
public final class TextClassifier extends AbstractBlock {

  /** The pattern of the head's parameter names. */
  public static final String HEAD_PATTERN = "\\d+head_.*";

  private final BertConfig config;
  private final List<BertLayer> layers = new ArrayList<>();
  private final Block head;
  private final int classes;

  /**
   * A classifier with fresh parameters.
   *
   * @param config the encoder's sizes
   * @param layerCount how many top layers it trains
   * @param classes output classes
   */
  public TextClassifier(BertConfig config, int layerCount, int classes) {
    this.config = config;
    this.classes = classes;
    for (int i = 0; i < layerCount; i++) {
      layers.add(addChildBlock("layer" + i, new BertLayer(config)));
    }
    head = addChildBlock("head", Linear.builder().setUnits(classes).build());
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
   * The input shape for a batch of sequences of {@code length} tokens.
   *
   * @param config the encoder's sizes
   * @param length tokens per sequence
   * @return {@code (1, L, H + 1)}
   */
  public static Shape inputShape(BertConfig config, int length) {
    return new Shape(1, length, config.hidden() + 1);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray packed = inputs.singletonOrThrow();
    int width = config.hidden();
    NDArray hidden = packed.get(":, :, :" + width);
    NDArray mask = packed.get(":, :, " + width);
    NDList state = new NDList(hidden, BertEncoder.maskBias(mask));
    for (BertLayer layer : layers) {
      state = layer.forward(store, state, training);
    }
    NDArray pooled = BertEncoder.meanPool(state.head(), mask);
    return head.forward(store, new NDList(pooled), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    Shape packed = shapes[0];
    Shape hidden = new Shape(packed.get(0), packed.get(1), config.hidden());
    Shape bias = new Shape(packed.get(0), 1, 1, packed.get(1));
    for (BertLayer layer : layers) {
      layer.initialize(manager, dataType, hidden, bias);
    }
    head.initialize(manager, dataType, new Shape(packed.get(0), config.hidden()));
  }
}
