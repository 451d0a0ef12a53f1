/**
 * What experiments write: JSON (Jackson), CSV traces, PNG plots (XChart) into the experiment's
 * folder, and the {@code report.md} that {@code hidlr reproduce} assembles from them.
 */
package io.github.hidlr.cli.report;
