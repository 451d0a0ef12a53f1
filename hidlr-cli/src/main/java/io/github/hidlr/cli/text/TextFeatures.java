package io.github.hidlr.cli.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.hidlr.cli.data.Reviews;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the frozen part of a BERT classifier computes once per run: the hidden states after the
 * lower layers for every training and test text (with the attention mask as one more channel,
 * as {@link TextClassifier} reads them), the labels, and the pretrained parameters of the top
 * layers that each method starts from.
 *
 * @param config the encoder's sizes
 * @param length tokens per sequence {@code L}
 * @param train training inputs, {@code [N, L, H + 1]} row-major
 * @param trainLabels one class per training text
 * @param test test inputs
 * @param testLabels one class per test text
 * @param topLayers the parameters of each top layer, as {@code Block.saveParameters} writes them
 */
public record TextFeatures(BertConfig config, int length, float[] train, int[] trainLabels,
    float[] test, int[] testLabels, List<byte[]> topLayers) {

  private static final int BATCH = 64;

  /**
   * Features from a pretrained encoder.
   *
   * @param encoder the encoder, initialised and loaded
   * @param tokenizerFile its {@code tokenizer.json}
   * @param train the training texts
   * @param test the test texts
   * @param length tokens per text (longer texts are cut, shorter ones padded)
   * @param trained how many top layers the classifier trains (the rest are frozen)
   * @return the features
   * @throws IOException if the tokenizer cannot be read
   */
  public static TextFeatures of(BertEncoder encoder, Path tokenizerFile, Reviews train,
      Reviews test, int length, int trained) throws IOException {
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile,
        Map.of("maxLength", Integer.toString(length), "truncation", "true",
            "padding", "max_length"))) {
      long[][] trainIds = new long[train.texts().size()][];
      long[][] testIds = new long[test.texts().size()][];
      encode(tokenizer, train.texts(), trainIds);
      encode(tokenizer, test.texts(), testIds);
      return of(encoder, trainIds, train.labels(), testIds, test.labels(), length, trained);
    }
  }

  private static void encode(HuggingFaceTokenizer tokenizer, List<String> texts, long[][] out) {
    for (int i = 0; i < texts.size(); i++) {
      // The reviews keep their HTML line breaks; they carry no meaning.
      Encoding encoding = tokenizer.encode(texts.get(i).replace("<br />", " "));
      out[i] = encoding.getIds();
    }
  }

  /**
   * Features of token id sequences (0 is padding).
   *
   * @param encoder the encoder, initialised and loaded
   * @param trainIds training sequences, each {@code length} long
   * @param trainLabels their classes
   * @param testIds test sequences
   * @param testLabels their classes
   * @param length tokens per sequence
   * @param trained how many top layers the classifier trains
   * @return the features
   */
  public static TextFeatures of(BertEncoder encoder, long[][] trainIds, int[] trainLabels,
      long[][] testIds, int[] testLabels, int length, int trained) {
    int frozen = encoder.layers().size() - trained;
    if (frozen < 0) {
      throw new IllegalArgumentException("cannot train " + trained + " layers of "
          + encoder.layers().size());
    }
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      float[] train = hidden(encoder, trainIds, length, frozen);
      float[] test = hidden(encoder, testIds, length, frozen);
      List<byte[]> top = new ArrayList<>();
      for (int i = frozen; i < encoder.layers().size(); i++) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          encoder.layers().get(i).saveParameters(out);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        top.add(bytes.toByteArray());
      }
      return new TextFeatures(encoder.config(), length, train, trainLabels.clone(), test,
          testLabels.clone(), List.copyOf(top));
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Embeddings and the frozen layers, batch by batch, with the mask appended. */
  private static float[] hidden(BertEncoder encoder, long[][] ids, int length, int frozen) {
    int width = encoder.config().hidden() + 1;
    float[] out = new float[ids.length * length * width];
    NDManager manager = encoder.embedding("word").getArray().getManager();
    ParameterStore store = new ParameterStore(manager, false);
    for (int from = 0; from < ids.length; from += BATCH) {
      int to = Math.min(ids.length, from + BATCH);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        long[][] batch = new long[to - from][];
        float[][] mask = new float[to - from][length];
        for (int i = from; i < to; i++) {
          if (ids[i].length != length) {
            throw new IllegalArgumentException("sequence " + i + " has " + ids[i].length
                + " tokens, expected " + length);
          }
          batch[i - from] = ids[i];
          for (int j = 0; j < length; j++) {
            mask[i - from][j] = ids[i][j] == 0 ? 0 : 1;
          }
        }
        NDArray idArray = manager.create(batch);
        NDArray maskArray = manager.create(mask);
        NDArray hidden = encoder.embed(store, idArray, false);
        hidden = encoder.layersOn(store, hidden, maskArray, 0, frozen, false);
        NDArray packed = hidden.concat(maskArray.expandDims(-1), 2);
        float[] values = packed.toFloatArray();
        System.arraycopy(values, 0, out, from * length * width, values.length);
      }
    }
    return out;
  }

  /**
   * A small synthetic stand-in for the tests: a randomly initialised tiny BERT (seeded) and
   * token sequences whose class is whether most tokens come from the lower half of the
   * vocabulary.
   *
   * @param manager where the encoder lives while the features are computed
   * @param train training sequences
   * @param test test sequences
   * @param seed the seed of the weights and the data
   * @return the features
   */
  public static TextFeatures synthetic(NDManager manager, int train, int test, long seed) {
    BertConfig config = new BertConfig(40, 16, 2, 2, 32, 16, 2, 1e-12f);
    int length = 8;
    BertEncoder encoder = new BertEncoder(config);
    ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
    encoder.initialize(manager, DataType.FLOAT32, new Shape(1, length), new Shape(1, length));
    Random random = new Random(seed);
    long[][] trainIds = new long[train][];
    int[] trainLabels = new int[train];
    long[][] testIds = new long[test][];
    int[] testLabels = new int[test];
    fill(random, config, length, trainIds, trainLabels);
    fill(random, config, length, testIds, testLabels);
    return of(encoder, trainIds, trainLabels, testIds, testLabels, length, 1);
  }

  private static void fill(Random random, BertConfig config, int length, long[][] ids,
      int[] labels) {
    int half = config.vocabulary() / 2;
    for (int i = 0; i < ids.length; i++) {
      int tokens = 4 + random.nextInt(length - 3);
      ids[i] = new long[length];
      int low = 0;
      for (int j = 0; j < tokens; j++) {
        ids[i][j] = 1 + random.nextInt(config.vocabulary() - 1);
        low += ids[i][j] < half ? 1 : 0;
      }
      labels[i] = 2 * low > tokens ? 1 : 0;
    }
  }

  /**
   * The inputs and labels as arrays in a manager.
   *
   * @param manager where they live
   * @return {@code {trainX, trainY, testX, testY}}
   */
  public NDList arrays(NDManager manager) {
    long width = config.hidden() + 1;
    NDArray trainX = manager.create(train, new Shape(trainLabels.length, length, width));
    NDArray testX = manager.create(test, new Shape(testLabels.length, length, width));
    return new NDList(trainX, manager.create(toFloat(trainLabels)), testX,
        manager.create(toFloat(testLabels)));
  }

  private static float[] toFloat(int[] labels) {
    float[] out = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i];
    }
    return out;
  }
}
