package io.github.hidlr.djl.group;

import ai.djl.nn.Parameter;
import io.github.hidlr.core.group.GroupLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups resolved against an initialised block: the core {@link GroupLayout} and, per
 * trainable parameter (by DJL parameter id), the members it contributes. A parameter is
 * either one whole-tensor member or covered by row slices.
 */
public final class ResolvedGroups {

  private final GroupLayout layout;
  private final Map<String, List<GroupMember>> membersById;
  private final List<String> frozenByRest;
  private final List<Parameter> rest;

  ResolvedGroups(GroupLayout layout, Map<String, List<GroupMember>> membersById,
      List<String> frozenByRest, List<Parameter> rest) {
    this.layout = layout;
    this.membersById = Collections.unmodifiableMap(new LinkedHashMap<>(membersById));
    this.frozenByRest = List.copyOf(frozenByRest);
    this.rest = List.copyOf(rest);
  }

  /**
   * Freezes the trainable parameters in no group, as {@code Rest.FREEZE} asked; resolving
   * itself changes nothing. {@code HiDlrOptimizer} calls it when
   * training starts. Idempotent.
   */
  public void freezeRest() {
    for (Parameter parameter : rest) {
      parameter.freeze(true);
    }
  }

  /**
   * The core layout: one entry per group, sized by its scalar parameter count.
   *
   * @return the layout
   */
  public GroupLayout layout() {
    return layout;
  }

  /**
   * The members a parameter contributes, by DJL parameter id.
   *
   * @param parameterId {@link Parameter#getId()}
   * @return the members, or an empty list for a parameter in no group
   */
  public List<GroupMember> members(String parameterId) {
    return membersById.getOrDefault(parameterId, List.of());
  }

  /**
   * All members, by parameter id, in the block's parameter order.
   *
   * @return an unmodifiable map
   */
  public Map<String, List<GroupMember>> membersById() {
    return membersById;
  }

  /**
   * Full names of the parameters in no group that {@link #freezeRest} freezes.
   *
   * @return the names
   */
  public List<String> frozenByRest() {
    return frozenByRest;
  }

  /**
   * The whole-tensor parameters of a group (row slices excluded).
   *
   * @param group group index
   * @return its parameters
   */
  public List<Parameter> wholeTensorParameters(int group) {
    return membersById.values().stream().flatMap(List::stream)
        .filter(m -> m.group() == group && m.wholeTensor()).map(GroupMember::parameter).toList();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("ResolvedGroups{");
    for (int k = 0; k < layout.size(); k++) {
      int group = k;
      out.append(k > 0 ? "; " : "").append(layout.group(k).name()).append('=');
      out.append(membersById.values().stream().flatMap(List::stream)
          .filter(m -> m.group() == group)
          .map(m -> m.wholeTensor() ? m.name() : m.name() + "[" + m.fromRow() + ":" + m.toRow() + "]")
          .toList());
    }
    return out.append('}').toString();
  }
}
