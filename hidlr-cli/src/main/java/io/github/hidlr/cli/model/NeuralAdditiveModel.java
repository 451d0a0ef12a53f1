package io.github.hidlr.cli.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A neural additive model (Agarwal et al. 2021; the Hi-DLR paper's Figure 5):
 * {@code y = b + Σ_j f_j(x_j)}, one small MLP {@code f_j} per input feature. Feature net
 * {@code j}'s parameters are named {@code NNfeatureJ_…}, the global bias {@code bias}, so
 * Hi-DLR can give each feature net its own rate.
 */
public final class NeuralAdditiveModel extends AbstractBlock {

  /** The name of the global bias parameter. */
  public static final String BIAS = "bias";

  private final List<Block> features = new ArrayList<>();
  private final Parameter bias;

  /**
   * A NAM.
   *
   * @param featureCount number of input features
   * @param hidden hidden units of each feature net (two hidden layers)
   */
  public NeuralAdditiveModel(int featureCount, int hidden) {
    for (int j = 0; j < featureCount; j++) {
      features.add(addChildBlock("feature" + j, new SequentialBlock()
          .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
          .add(Linear.builder().setUnits(hidden / 2).build()).add(Activation::relu)
          .add(Linear.builder().setUnits(1).optBias(false).build())));
    }
    bias = addParameter(Parameter.builder().setName(BIAS).setType(Parameter.Type.BIAS)
        .optShape(new Shape(1)).optInitializer(new ConstantInitializer(0)).build());
  }

  /**
   * The pattern of feature net {@code j}'s parameter names.
   *
   * @param j the feature
   * @return a regular expression over full names
   */
  public static String featurePattern(int j) {
    return "\\d+feature" + j + "_.*";
  }

  /**
   * The number of features.
   *
   * @return the count
   */
  public int featureCount() {
    return features.size();
  }

  /**
   * The learned shape function {@code f_j} at the given values, for plots.
   *
   * @param store a parameter store
   * @param j the feature
   * @param values input values of shape (N, 1)
   * @return {@code f_j(values)} of shape (N, 1)
   */
  public NDArray shape(ParameterStore store, int j, NDArray values) {
    return features.get(j).forward(store, new NDList(values), false).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray sum = store.getValue(bias, x.getDevice(), training).reshape(1, 1);
    for (int j = 0; j < features.size(); j++) {
      NDArray column = x.get(":, " + j + ":" + (j + 1));
      sum = sum.add(features.get(j).forward(store, new NDList(column), training)
          .singletonOrThrow());
    }
    return new NDList(sum);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    Shape column = new Shape(shapes[0].get(0), 1);
    for (Block feature : features) {
      feature.initialize(manager, dataType, column);
    }
  }
}
