package io.github.hidlr.djl.lora;

import ai.djl.nn.SequentialBlock;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link LoRA#wrapAllButHead}: the new network, where its LoRA layers and its
 * head are, and the name patterns of the groups {@code A}, {@code B} and head.
 *
 * @param block the new network (initialised); its head and non-linear children are shared with
 *     the source network
 * @param loraPaths child paths of the new {@link LoRALinear} blocks, in forward order, e.g.
 *     {@code [01LoRALinear, 03LoRALinear]} (a parameter's full name is its path, {@code _}, and
 *     its name)
 * @param headPath child path of the head, e.g. {@code 05Linear}
 * @param groups the regular expressions that select {@code A}, {@code B} and the head
 */
public record LoRAWrapped(
    SequentialBlock block, List<String> loraPaths, String headPath, LoRAGroups groups) {

  /** Copies the path list and checks that nothing is missing. */
  public LoRAWrapped {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(headPath, "headPath");
    Objects.requireNonNull(groups, "groups");
    loraPaths = List.copyOf(loraPaths);
    if (loraPaths.isEmpty()) {
      throw new IllegalArgumentException(
          "loraPaths is empty: a LoRA-wrapped network has at least one LoRALinear");
    }
  }
}
