package io.github.hidlr.djl.group;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * How one group, or one family of row groups, is selected from a block's parameters. Matching
 * is on DJL's full parameter names as {@code block.getParameters()} reports them, e.g.
 * {@code 01Linear_weight} or {@code 02SequentialBlock_01Linear_bias}. Only trainable
 * parameters are considered.
 */
public sealed interface GroupSpec {

  /**
   * Whole tensors whose full name matches a regular expression (the whole name must match).
   *
   * @param group the group's name
   * @param regex e.g. {@code ".*_loraA"} or {@code "03Linear_.*"}
   * @return the spec
   */
  static GroupSpec pattern(String group, String regex) {
    return new Select(group, "pattern /" + regex + "/",
        (name, parameter) -> Pattern.matches(regex, name));
  }

  /**
   * Every parameter of a block (which must be a descendant of, or the same as, the model's
   * block).
   *
   * @param group the group's name
   * @param block the block
   * @return the spec
   */
  static GroupSpec block(String group, Block block) {
    Objects.requireNonNull(block, "block");
    return new Select(group, "block " + block.getClass().getSimpleName(), (name, parameter) ->
        block.getParameters().values().stream().anyMatch(p -> p == parameter));
  }

  /**
   * Whole tensors of one kind (all biases, all normalisation parameters, …).
   *
   * @param group the group's name
   * @param kind the kind
   * @return the spec
   */
  static GroupSpec kind(String group, ParameterKind kind) {
    Objects.requireNonNull(kind, "kind");
    return new Select(group, "kind " + kind,
        (name, parameter) -> ParameterKind.of(parameter) == kind);
  }

  /**
   * Whole tensors chosen by a predicate over the full name and the parameter.
   *
   * @param group the group's name
   * @param description what the predicate selects, for error messages
   * @param predicate the test
   * @return the spec
   */
  static GroupSpec predicate(
      String group, String description, BiPredicate<String, Parameter> predicate) {
    return new Select(group, description, predicate);
  }

  /**
   * One group per row (index along dimension 0) of one parameter, named
   * {@code prefix + row}: e.g. one group per task's row of a multi-task head.
   *
   * @param prefix group name prefix, e.g. {@code "task"}
   * @param parameter the full name of the parameter, e.g. {@code "03Linear_weight"}
   * @return the spec
   */
  static GroupSpec rows(String prefix, String parameter) {
    return new Rows(prefix, parameter);
  }

  /**
   * One group holding rows {@code [from, to)} (dimension 0) of one parameter.
   *
   * @param group the group's name
   * @param parameter the full name of the parameter
   * @param from first row, inclusive
   * @param to last row, exclusive
   * @return the spec
   */
  static GroupSpec slice(String group, String parameter, long from, long to) {
    return new Slice(group, parameter, from, to);
  }

  /**
   * Whole tensors selected by a predicate.
   *
   * @param group the group's name
   * @param description what is selected, for messages
   * @param test the predicate over full name and parameter
   */
  record Select(String group, String description, BiPredicate<String, Parameter> test)
      implements GroupSpec {
    /** Validates the name. */
    public Select {
      requireName(group);
      Objects.requireNonNull(test, "predicate");
    }
  }

  /**
   * One group per row of a parameter.
   *
   * @param prefix group name prefix
   * @param parameter the parameter's full name
   */
  record Rows(String prefix, String parameter) implements GroupSpec {
    /** Validates the names. */
    public Rows {
      requireName(prefix);
      requireName(parameter);
    }
  }

  /**
   * Rows {@code [from, to)} of a parameter as one group.
   *
   * @param group the group's name
   * @param parameter the parameter's full name
   * @param from first row
   * @param to end row, exclusive
   */
  record Slice(String group, String parameter, long from, long to) implements GroupSpec {
    /** Validates the names and the range. */
    public Slice {
      requireName(group);
      requireName(parameter);
      if (from < 0 || to <= from) {
        throw new IllegalArgumentException("slice [" + from + ", " + to + ") of \"" + parameter
            + "\" for group \"" + group + "\" is empty or negative: need 0 ≤ from < to");
      }
    }
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a group or parameter name is blank");
    }
  }
}
