/**
 * {@code hidlr study}: named Hi-DLR policies × the experiments' tasks × seeds, side by side
 * with the baselines, judged by {@link io.github.hidlr.cli.report.Verdict}. How the library's
 * default policy is chosen (docs/POLICY.md).
 */
package io.github.hidlr.cli.study;
