package io.github.hidlr.core.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ordered list of {@code K} parameter groups that Hi-DLR gives one learning rate each
 * (ALGORITHM.md §1). Group {@code k} is at index {@code k}; every vector over groups in this
 * library ({@code ξ}, {@code a}, {@code b}, {@code η}) uses that order.
 *
 * <p>Immutable. Names are unique and groups non-empty; {@code K = 1} is the uniform learning
 * rate (GeN).
 */
public final class GroupLayout {

  private final List<ParameterGroup> groups;
  private final Map<String, Integer> indexByName;

  private GroupLayout(List<ParameterGroup> groups) {
    if (groups == null || groups.isEmpty()) {
      throw new IllegalArgumentException(
          "no groups: Hi-DLR needs at least one parameter group (use one group for GeN)");
    }
    Map<String, Integer> index = new HashMap<>();
    List<ParameterGroup> copy = new ArrayList<>(groups.size());
    for (ParameterGroup group : groups) {
      Objects.requireNonNull(group, "group");
      Integer previous = index.putIfAbsent(group.name(), copy.size());
      if (previous != null) {
        throw new IllegalArgumentException(
            "duplicate group name \"" + group.name() + "\" at positions " + previous + " and "
                + copy.size() + ": group names must be unique");
      }
      copy.add(group);
    }
    this.groups = Collections.unmodifiableList(copy);
    this.indexByName = Collections.unmodifiableMap(index);
  }

  /**
   * A layout of the given groups, in order.
   *
   * @param groups at least one group, unique names
   * @return the layout
   */
  public static GroupLayout of(List<ParameterGroup> groups) {
    return new GroupLayout(groups);
  }

  /**
   * A layout of the given groups, in order.
   *
   * @param groups at least one group, unique names
   * @return the layout
   */
  public static GroupLayout of(ParameterGroup... groups) {
    return new GroupLayout(List.of(groups));
  }

  /**
   * A layout with one group per coordinate of a {@code dimension}-dimensional problem, named
   * {@code x0, x1, …}: the grouping under which Hi-DLR on a separable quadratic is Newton's
   * method.
   *
   * @param dimension number of coordinates, at least 1
   * @return the layout
   */
  public static GroupLayout perCoordinate(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension " + dimension + " must be at least 1");
    }
    List<ParameterGroup> list = new ArrayList<>(dimension);
    for (int i = 0; i < dimension; i++) {
      list.add(new ParameterGroup("x" + i, 1));
    }
    return new GroupLayout(list);
  }

  /**
   * A single group holding everything: the uniform learning rate of GeN.
   *
   * @param name the group's name
   * @param size number of parameters
   * @return the layout
   */
  public static GroupLayout single(String name, long size) {
    return new GroupLayout(List.of(new ParameterGroup(name, size)));
  }

  /**
   * Number of groups {@code K}.
   *
   * @return {@code K}
   */
  public int size() {
    return groups.size();
  }

  /**
   * Group {@code k}.
   *
   * @param k index in {@code [0, K)}
   * @return the group
   */
  public ParameterGroup group(int k) {
    return groups.get(k);
  }

  /**
   * All groups, in order.
   *
   * @return an unmodifiable list
   */
  public List<ParameterGroup> groups() {
    return groups;
  }

  /**
   * The index of the group with this name.
   *
   * @param name a group name
   * @return its index
   * @throws IllegalArgumentException naming the known groups if there is none
   */
  public int indexOf(String name) {
    Integer k = indexByName.get(name);
    if (k == null) {
      throw new IllegalArgumentException(
          "unknown group \"" + name + "\"; known groups: " + names());
    }
    return k;
  }

  /**
   * Group names, in order.
   *
   * @return the names
   */
  public List<String> names() {
    List<String> names = new ArrayList<>(groups.size());
    for (ParameterGroup group : groups) {
      names.add(group.name());
    }
    return names;
  }

  /**
   * Total number of parameters across groups.
   *
   * @return {@code Σ n_k}
   */
  public long totalSize() {
    long total = 0;
    for (ParameterGroup group : groups) {
      total += group.size();
    }
    return total;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GroupLayout that && groups.equals(that.groups);
  }

  @Override
  public int hashCode() {
    return groups.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("GroupLayout[");
    for (int k = 0; k < groups.size(); k++) {
      if (k > 0) {
        out.append(", ");
      }
      out.append(groups.get(k).name()).append('=').append(groups.get(k).size());
    }
    return out.append(']').toString();
  }
}
