package io.github.hidlr.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells when DJL's per-parameter {@code update} calls make up one whole step of a model, and
 * names the wiring mistakes that would otherwise pass silently: DJL calls an optimizer once per
 * parameter with a gradient and never says when a step ends. The first call of a step takes
 * the block's initialised parameters that require a gradient as the step's (so groups frozen
 * on the way drop out); the step is complete once each was seen. A parameter seen twice means
 * the previous step never got the others (they took no part in the forward pass); a parameter
 * that is not one of them means the optimizer serves another model. Both drop the step and
 * throw an {@link IllegalStateException} that says the fix. Used by {@link HiDlrOptimizer} and
 * by every hidlr optimizer given its block; not thread-safe.
 */
public final class StepAssembly {

  private final Block block;
  private final String owner;
  private final String buildHint;
  private Map<String, String> expected = Map.of();
  private final Set<String> seen = new HashSet<>();

  /**
   * An assembly over a model's block.
   *
   * @param block the block whose parameters make up a step
   * @param owner who assembles, for messages, e.g. {@code "Prodigy"}
   * @param buildHint how to build the optimizer for the right model, for messages
   */
  public StepAssembly(Block block, String owner, String buildHint) {
    this.block = Objects.requireNonNull(block, "block");
    this.owner = owner;
    this.buildHint = buildHint;
  }

  /**
   * Records one parameter's update.
   *
   * @param parameterId the id DJL passed to {@code update}
   * @return the parameter's full name in the block
   * @throws IllegalStateException if the previous step never completed or the parameter is
   *     not a trainable parameter of the block; the step is dropped first
   */
  public String add(String parameterId) {
    if (seen.isEmpty()) {
      expected = trainable();
    }
    if (seen.contains(parameterId)) {
      List<String> missing = new ArrayList<>();
      expected.forEach((id, name) -> {
        if (!seen.contains(id)) {
          missing.add(name);
        }
      });
      reset();
      throw new IllegalStateException(owner + "'s step never completed: parameters " + missing
          + " require a gradient but got no update from trainer.step() (unused in the forward"
          + " pass?). That step was dropped: no weight keeps its update, and the gradients were"
          + " cleared. Freeze them"
          + " (parameter.freeze(true)) or use them in the forward pass");
    }
    String name = expected.get(parameterId);
    if (name == null) {
      List<String> names = List.copyOf(expected.values());
      reset();
      throw new IllegalStateException(owner + " got parameter " + parameterId + ", which is"
          + " not a trainable parameter of the model it was built for (its trainable"
          + " parameters: " + names + "). " + buildHint);
    }
    seen.add(parameterId);
    return name;
  }

  /**
   * Whether every parameter of the step has been seen.
   *
   * @return true at the step's last parameter
   */
  public boolean complete() {
    return !seen.isEmpty() && seen.size() == expected.size();
  }

  /**
   * Whether a step is being assembled (some, not all, of its parameters seen).
   *
   * @return true in the middle of a step
   */
  public boolean inProgress() {
    return !seen.isEmpty();
  }

  /**
   * Parameters seen so far in this step, and how many the step has, for messages.
   *
   * @return e.g. {@code "1 of 2"}
   */
  public String progress() {
    return seen.size() + " of " + expected.size();
  }

  /** Forgets the step being assembled (after it completed or failed). */
  public void reset() {
    seen.clear();
  }

  private Map<String, String> trainable() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (parameter.requiresGradient() && parameter.isInitialized()) {
        out.put(parameter.getId(), p.getKey());
      }
    }
    return out;
  }
}
