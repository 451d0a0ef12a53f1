package io.github.hidlr.core.group;

/**
 * One group {@code w_(k)} of the parameter partition: a name and the number of scalar
 * parameters {@code n_k} it holds (used by the per-parameter influence
 * {@code PPI_k = b_k² / (a_k n_k)} of the Hi-DLR paper, v1).
 *
 * @param name unique, non-blank name, e.g. {@code "lora_A"} or {@code "head.row3"}
 * @param size number of scalar parameters, at least 1
 */
public record ParameterGroup(String name, long size) {

  /** Validates the name and size. */
  public ParameterGroup {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("group name is blank: give every group a non-blank name");
    }
    if (size < 1) {
      throw new IllegalArgumentException(
          "group \"" + name + "\" is empty (size " + size + "): every group needs at least one"
              + " parameter; drop the group or widen its selection");
    }
  }
}
