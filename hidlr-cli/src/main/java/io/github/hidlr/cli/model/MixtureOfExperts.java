package io.github.hidlr.cli.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A dense mixture of experts (the Hi-DLR paper's Appendix B): a 2-layer gating network gives
 * weights {@code g = softmax(gate(x))} over {@code E} expert MLPs and the output is
 * {@code Σ_e g_e · expert_e(x)}. Parameter names start with {@code 01gate} for the gate and
 * {@code 0Nexpert} for the experts, so groups select them by pattern.
 */
public final class MixtureOfExperts extends AbstractBlock {

  /** The pattern of the gate's parameter names. */
  public static final String GATE_PATTERN = "\\d+gate_.*";
  /** The pattern of the experts' parameter names. */
  public static final String EXPERT_PATTERN = "\\d+expert\\d+_.*";

  private final Block gate;
  private final List<Block> experts = new ArrayList<>();
  private final int outputs;

  /**
   * A mixture.
   *
   * @param experts number of experts {@code E}
   * @param hidden hidden units of the gate and of each expert
   * @param outputs output units
   */
  public MixtureOfExperts(int experts, int hidden, int outputs) {
    this.outputs = outputs;
    this.gate = addChildBlock("gate", mlp(hidden, experts));
    for (int e = 0; e < experts; e++) {
      this.experts.add(addChildBlock("expert" + e, mlp(hidden, outputs)));
    }
  }

  private static SequentialBlock mlp(int hidden, int out) {
    return new SequentialBlock().add(Linear.builder().setUnits(hidden).build())
        .add(Activation::relu).add(Linear.builder().setUnits(out).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray weights = gate.forward(store, inputs, training).singletonOrThrow().softmax(1);
    NDArray mixed = null;
    for (int e = 0; e < experts.size(); e++) {
      NDArray out = experts.get(e).forward(store, inputs, training).singletonOrThrow();
      NDArray weighted = out.mul(weights.get(":, " + e + ":" + (e + 1)));
      mixed = mixed == null ? weighted : mixed.add(weighted);
    }
    return new NDList(mixed);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    gate.initialize(manager, dataType, shapes);
    for (Block expert : experts) {
      expert.initialize(manager, dataType, shapes);
    }
  }
}
