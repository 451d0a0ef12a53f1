/**
 * The {@code hidlr} command (picocli): {@code reproduce}, {@code run}, {@code list},
 * {@code bench} and {@code data fetch}. Each subcommand is a small {@code Callable<Integer>};
 * exit codes: 0 ok, 1 failure, 2 bad usage.
 */
package io.github.hidlr.cli;
