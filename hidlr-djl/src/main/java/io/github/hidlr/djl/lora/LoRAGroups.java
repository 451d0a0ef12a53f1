package io.github.hidlr.djl.lora;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions over DJL's full parameter names (the keys of
 * {@code block.getParameters()}, e.g. {@code 01LoRALinear_loraA}) that select the three groups
 * of a LoRA model for per-group learning rates, as in LoRA+ (Hayou, Ghosh and Yu 2024,
 * arXiv:2402.12354), where {@code B} learns faster than {@code A}, and Hi-DLR, which tunes one
 * learning rate per group.
 *
 * <p>Each pattern is an anchored alternation of exact full names
 * ({@code ^(?:01LoRALinear_loraA|03LoRALinear_loraA)$}), so it selects the intended tensors and
 * nothing else whether it is applied with {@link Pattern#matches} or {@code find()}. The frozen
 * base weights and biases of the {@link LoRALinear} blocks are in no group (they have no
 * gradient).
 *
 * @param aPattern selects every {@value LoRALinear#LORA_A} parameter
 * @param bPattern selects every {@value LoRALinear#LORA_B} parameter
 * @param headPattern selects every parameter of the head (the block kept outside LoRA)
 */
public record LoRAGroups(String aPattern, String bPattern, String headPattern) {

  /** Checks that each pattern is a non-blank, valid regular expression. */
  public LoRAGroups {
    validate("aPattern", aPattern);
    validate("bPattern", bPattern);
    validate("headPattern", headPattern);
  }

  /**
   * Whether a full parameter name is in group {@code A}.
   *
   * @param fullName a key of {@code getParameters()}
   * @return true if {@link #aPattern()} matches the whole name
   */
  public boolean isA(String fullName) {
    return Pattern.matches(aPattern, fullName);
  }

  /**
   * Whether a full parameter name is in group {@code B}.
   *
   * @param fullName a key of {@code getParameters()}
   * @return true if {@link #bPattern()} matches the whole name
   */
  public boolean isB(String fullName) {
    return Pattern.matches(bPattern, fullName);
  }

  /**
   * Whether a full parameter name is in the head group.
   *
   * @param fullName a key of {@code getParameters()}
   * @return true if {@link #headPattern()} matches the whole name
   */
  public boolean isHead(String fullName) {
    return Pattern.matches(headPattern, fullName);
  }

  private static void validate(String what, String regex) {
    if (regex == null || regex.isBlank()) {
      throw new IllegalArgumentException(
          what + " is blank: give a regular expression over full parameter names");
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          what + " \"" + regex + "\" is not a valid regular expression: " + e.getDescription(), e);
    }
  }
}
