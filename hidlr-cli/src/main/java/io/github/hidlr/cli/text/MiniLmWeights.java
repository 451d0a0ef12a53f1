package io.github.hidlr.cli.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.hidlr.djl.Tensors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads the weights of a Hugging Face BERT exported to ONNX (all-MiniLM-L6-v2) into a
 * {@link BertEncoder}.
 *
 * <p>Embeddings, LayerNorms and biases are initializers with Hugging Face's names
 * ({@code encoder.layer.3.attention.self.query.bias}). The projection matrices are anonymous
 * ({@code onnx::MatMul_787}), stored {@code [in, out]}: each is named by following its MatMul
 * node to the Add that adds the named bias, and transposed into DJL's {@code [out, in]}.
 */
public final class MiniLmWeights {

  private static final String[][] LINEARS = {
    {"query", "attention.self.query"},
    {"key", "attention.self.key"},
    {"value", "attention.self.value"},
    {"attentionOutput", "attention.output.dense"},
    {"intermediate", "intermediate.dense"},
    {"output", "output.dense"},
  };
  private static final String[][] NORMS = {
    {"attentionNorm", "attention.output.LayerNorm"},
    {"outputNorm", "output.LayerNorm"},
  };

  private MiniLmWeights() {}

  /**
   * Copies every weight of {@code onnx} into {@code encoder} (initialised, same sizes).
   *
   * @param onnx the model read by {@link OnnxModel#read}
   * @param encoder the encoder
   * @throws IllegalArgumentException naming the tensor when one is missing or has another shape
   */
  public static void load(OnnxModel onnx, BertEncoder encoder) {
    Map<String, String> matrixOfBias = matricesByBias(onnx);
    NDManager manager = encoder.embedding("word").getArray().getManager();
    assign(manager, encoder.embedding("word"), tensor(onnx, "embeddings.word_embeddings.weight"),
        false);
    assign(manager, encoder.embedding("position"),
        tensor(onnx, "embeddings.position_embeddings.weight"), false);
    assign(manager, encoder.embedding("tokenType"),
        tensor(onnx, "embeddings.token_type_embeddings.weight"), false);
    norm(manager, onnx, encoder.embeddingNorm(), "embeddings.LayerNorm");
    for (int i = 0; i < encoder.layers().size(); i++) {
      BertLayer layer = encoder.layers().get(i);
      String prefix = "encoder.layer." + i + ".";
      for (String[] linear : LINEARS) {
        String bias = prefix + linear[1] + ".bias";
        String matrix = matrixOfBias.get(bias);
        if (matrix == null) {
          throw new IllegalArgumentException("no MatMul feeds the Add of " + bias
              + ": not a BERT exported by Hugging Face's ONNX exporter");
        }
        Block block = layer.child(linear[0]);
        assign(manager, block.getParameters().get("weight"), tensor(onnx, matrix), true);
        assign(manager, block.getParameters().get("bias"), tensor(onnx, bias), false);
      }
      for (String[] norm : NORMS) {
        norm(manager, onnx, layer.child(norm[0]), prefix + norm[1]);
      }
    }
  }

  private static void norm(NDManager manager, OnnxModel onnx, Block norm, String name) {
    assign(manager, norm.getParameters().get("gamma"), tensor(onnx, name + ".weight"), false);
    assign(manager, norm.getParameters().get("beta"), tensor(onnx, name + ".bias"), false);
  }

  /** Bias name → the initializer of the MatMul whose output the bias is added to. */
  private static Map<String, String> matricesByBias(OnnxModel onnx) {
    Map<String, String> matrixOfOutput = new HashMap<>();
    for (OnnxModel.Node node : onnx.nodes()) {
      if (node.opType().equals("MatMul") && node.inputs().size() == 2
          && onnx.initializers().containsKey(node.inputs().get(1))) {
        matrixOfOutput.put(node.outputs().get(0), node.inputs().get(1));
      }
    }
    Map<String, String> out = new HashMap<>();
    for (OnnxModel.Node node : onnx.nodes()) {
      if (node.opType().equals("Add") && node.inputs().size() == 2) {
        for (int side = 0; side < 2; side++) {
          String matrix = matrixOfOutput.get(node.inputs().get(1 - side));
          if (matrix != null && onnx.initializers().containsKey(node.inputs().get(side))) {
            out.put(node.inputs().get(side), matrix);
          }
        }
      }
    }
    return out;
  }

  private static OnnxModel.Tensor tensor(OnnxModel onnx, String name) {
    OnnxModel.Tensor tensor = onnx.initializers().get(name);
    if (tensor == null) {
      throw new IllegalArgumentException("the ONNX model has no tensor " + name);
    }
    return tensor;
  }

  private static void assign(NDManager manager, Parameter parameter, OnnxModel.Tensor tensor,
      boolean transpose) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray array = scratch.create(tensor.values(), new Shape(tensor.shape()));
      if (transpose) {
        array = array.transpose();
      }
      Shape expected = parameter.getArray().getShape();
      if (!array.getShape().equals(expected)) {
        throw new IllegalArgumentException("tensor " + tensor.name() + " of shape "
            + Arrays.toString(tensor.shape()) + (transpose ? " (transposed)" : "")
            + " does not fit parameter " + parameter.getName() + " of shape " + expected);
      }
      Tensors.assign(parameter.getArray(), array);
    }
  }
}
