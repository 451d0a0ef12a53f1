package io.github.hidlr.cli.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.hidlr.djl.Tensors;

/**
 * One BERT encoder layer, post-LayerNorm, as Hugging Face's {@code BertLayer} computes it:
 * <pre>
 *   a = LayerNorm(x + O · attention(Q x, K x, V x))
 *   y = LayerNorm(a + W₂ · GELU(W₁ a))
 * </pre>
 * with multi-head scaled dot-product attention {@code softmax(q kᵀ / √d + m) v}, the mask
 * {@code m} being 0 on real tokens and −10,000 on padding, and GELU the exact one (erf).
 * DJL's {@code TransformerEncoderBlock} adds the block's input as the second residual instead
 * of {@code a}, so BERT weights cannot be loaded into it.
 *
 * <p>Input: {@code (hidden [B, L, H], mask bias [B, 1, 1, L])}; output: the new hidden states
 * and the same mask bias, so layers chain. The children are named as Hugging Face names them
 * ({@code query}, {@code key}, {@code value}, {@code attentionOutput}, {@code attentionNorm},
 * {@code intermediate}, {@code output}, {@code outputNorm}); {@link #setQuery} and
 * {@link #setValue} swap in LoRA versions of the projections.
 */
public final class BertLayer extends AbstractBlock {

  private final BertConfig config;
  private Block query;
  private final Block key;
  private Block value;
  private final Block attentionOutput;
  private final Block attentionNorm;
  private final Block intermediate;
  private final Block output;
  private final Block outputNorm;

  /**
   * A layer with fresh parameters.
   *
   * @param config the sizes
   */
  public BertLayer(BertConfig config) {
    this.config = config;
    query = addChildBlock("query", linear(config.hidden()));
    key = addChildBlock("key", linear(config.hidden()));
    value = addChildBlock("value", linear(config.hidden()));
    attentionOutput = addChildBlock("attentionOutput", linear(config.hidden()));
    attentionNorm = addChildBlock("attentionNorm", norm(config));
    intermediate = addChildBlock("intermediate", linear(config.intermediate()));
    output = addChildBlock("output", linear(config.hidden()));
    outputNorm = addChildBlock("outputNorm", norm(config));
  }

  private static Linear linear(int units) {
    return Linear.builder().setUnits(units).build();
  }

  private static LayerNorm norm(BertConfig config) {
    return LayerNorm.builder().axis(2).optEpsilon(config.epsilon()).build();
  }

  /**
   * A child by its Hugging Face role.
   *
   * @param name {@code query}, {@code key}, …, {@code outputNorm}
   * @return the block
   */
  public Block child(String name) {
    return children.get(index(name)).getValue();
  }

  /** The position of a child; DJL names it {@code NN} + name, {@code NN} counting from 01. */
  private int index(String name) {
    for (int i = 0; i < children.size(); i++) {
      if (children.keyAt(i).substring(2).equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no child \"" + name + "\" in a BERT layer: "
        + children.keys());
  }

  /**
   * Replaces the query projection (e.g. by its LoRA version), keeping the child's name.
   *
   * @param block an initialised block computing {@code [.., H] → [.., H]}
   */
  public void setQuery(Block block) {
    query = replace("query", block);
  }

  /**
   * Replaces the value projection (e.g. by its LoRA version), keeping the child's name.
   *
   * @param block an initialised block computing {@code [.., H] → [.., H]}
   */
  public void setValue(Block block) {
    value = replace("value", block);
  }

  private Block replace(String name, Block block) {
    int at = index(name);
    PairList<String, Block> kept = new PairList<>();
    for (int i = 0; i < children.size(); i++) {
      kept.add(children.keyAt(i), i == at ? block : children.valueAt(i));
    }
    children.clear();
    children.addAll(kept);
    return block;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray maskBias = inputs.get(1);
    long batch = x.getShape().get(0);
    long length = x.getShape().get(1);
    int heads = config.heads();
    long width = config.hidden() / heads;
    NDArray q = heads(query.forward(store, new NDList(x), training).head(), batch, length, width);
    NDArray k = heads(key.forward(store, new NDList(x), training).head(), batch, length, width);
    NDArray v = heads(value.forward(store, new NDList(x), training).head(), batch, length, width);
    // Not div((float) √width): DJL's Number scalar can be freed before backward reads it.
    NDArray raw = q.matMul(k.transpose(0, 1, 3, 2));
    NDArray scores = raw.div(Tensors.constant(raw, (float) Math.sqrt(width))).add(maskBias);
    NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3)
        .reshape(batch, length, config.hidden());
    NDArray attended = attentionOutput.forward(store, new NDList(context), training).head();
    NDArray a = attentionNorm.forward(store, new NDList(attended.add(x)), training).head();
    NDArray inner = Activation.gelu(
        intermediate.forward(store, new NDList(a), training).head());
    NDArray out = output.forward(store, new NDList(inner), training).head();
    NDArray y = outputNorm.forward(store, new NDList(out.add(a)), training).head();
    return new NDList(y, maskBias);
  }

  private static NDArray heads(NDArray projected, long batch, long length, long width) {
    return projected.reshape(batch, length, -1, width).transpose(0, 2, 1, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0], inputShapes[1]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    Shape hidden = shapes[0];
    Shape wide = new Shape(hidden.get(0), hidden.get(1), config.intermediate());
    for (String name : new String[] {"query", "key", "value", "attentionOutput",
        "attentionNorm", "outputNorm"}) {
      child(name).initialize(manager, dataType, hidden);
    }
    child("intermediate").initialize(manager, dataType, hidden);
    child("output").initialize(manager, dataType, wide);
  }
}
