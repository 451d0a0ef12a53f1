/**
 * A pretrained transformer for the text experiment: a BERT encoder built from DJL blocks
 * ({@link io.github.hidlr.cli.text.BertEncoder}, {@link io.github.hidlr.cli.text.BertLayer}),
 * the weights of all-MiniLM-L6-v2 read from its ONNX file
 * ({@link io.github.hidlr.cli.text.OnnxModel}, {@link io.github.hidlr.cli.text.MiniLmWeights}).
 * A parity test checks the pooled embeddings against ONNX Runtime to 1e-4.
 */
package io.github.hidlr.cli.text;
