package io.github.hidlr.cli.data;

/** What a file of a dataset holds; the loaders ask for files by role, never by name. */
public enum FileRole {
  /** IDX images of the training split. */
  TRAIN_IMAGES,
  /** IDX labels of the training split. */
  TRAIN_LABELS,
  /** IDX images of the test split. */
  TEST_IMAGES,
  /** IDX labels of the test split. */
  TEST_LABELS,
  /** A table of features (with the target as last column when there is no {@link #TARGET}). */
  TABLE,
  /** The regression target, one value a line, when it is kept apart from the {@link #TABLE}. */
  TARGET,
  /** An R package's lazy-load index, {@code data/Rdata.rdx} (see {@link RData}). */
  R_INDEX,
  /** An R package's lazy-load database, {@code data/Rdata.rdb} (see {@link RData}). */
  R_DATABASE,
  /** A neural network in ONNX format. */
  ONNX_MODEL,
  /** A Hugging Face {@code tokenizer.json}. */
  TOKENIZER
}
