package io.github.hidlr.djl.group;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A grouping of a DJL block's parameters for Hi-DLR (ALGORITHM.md §1): an ordered list of
 * {@link GroupSpec}s and a policy for the parameters outside every group. Resolve it against
 * the initialised block with {@link #resolve(Block)}.
 *
 * <pre>{@code
 * ParameterGroups groups = ParameterGroups.builder()
 *     .add(GroupSpec.kind("bias", ParameterKind.BIAS))
 *     .add(GroupSpec.pattern("head", "03Linear_weight"))
 *     .optRest(Rest.GROUP)           // everything else in a group named "rest"
 *     .build();
 * }</pre>
 *
 * <p>Resolution fails with an {@link IllegalArgumentException} that lists what exists when a
 * spec matches no trainable parameter, when two groups claim the same tensor or rows, when a
 * slice is out of range, or when a sliced tensor has rows in no group.
 */
public final class ParameterGroups {

  /** What happens to trainable parameters that no spec selects. */
  public enum Rest {
    /** They are frozen: learning rate 0 and no gradient (the PEFT default). */
    FREEZE,
    /** They form one more group, named {@value #REST_GROUP}. */
    GROUP
  }

  /** The name of the group that {@link Rest#GROUP} creates. */
  public static final String REST_GROUP = "rest";

  private final List<GroupSpec> specs;
  private final Rest rest;

  private ParameterGroups(List<GroupSpec> specs, Rest rest) {
    this.specs = List.copyOf(specs);
    this.rest = rest;
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One group holding every trainable parameter: the uniform rate of GeN.
   *
   * @param name the group's name
   * @return the grouping
   */
  public static ParameterGroups single(String name) {
    return builder().add(GroupSpec.predicate(name, "every trainable parameter", (n, p) -> true))
        .build();
  }

  /**
   * The specs, in order.
   *
   * @return the specs
   */
  public List<GroupSpec> specs() {
    return specs;
  }

  /**
   * The policy for unselected parameters.
   *
   * @return the policy, or null when none was chosen (then every trainable parameter must be in
   *     a group)
   */
  public Rest rest() {
    return rest;
  }

  /**
   * Resolves the groups against an initialised block, without changing it: with
   * {@link Rest#FREEZE}, the parameters in no group are frozen when training starts
   * ({@link ResolvedGroups#freezeRest}), so resolving twice gives the same groups. Trainable
   * parameters in no group are an error unless the rest policy says what to do with them.
   *
   * @param block the model's block, initialised
   * @return the resolved groups
   */
  public ResolvedGroups resolve(Block block) {
    List<Pair<String, Parameter>> trainable = new ArrayList<>();
    for (Pair<String, Parameter> entry : block.getParameters()) {
      if (entry.getValue().requiresGradient()) {
        if (!entry.getValue().isInitialized()) {
          throw new IllegalArgumentException("parameter \"" + entry.getKey()
              + "\" is not initialised: call trainer.initialize(shape) before resolving groups");
        }
        trainable.add(entry);
      }
    }
    List<String> trainableNames = trainable.stream().map(Pair::getKey).toList();
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("the block has no trainable parameter to group");
    }
    List<ParameterGroup> groups = new ArrayList<>();
    Map<String, List<GroupMember>> members = new LinkedHashMap<>();
    Map<String, String> ownerOfWhole = new LinkedHashMap<>();
    for (GroupSpec spec : specs) {
      if (spec instanceof GroupSpec.Select select) {
        int index = groups.size();
        long size = 0;
        for (Pair<String, Parameter> entry : trainable) {
          if (select.test().test(entry.getKey(), entry.getValue())) {
            claimWhole(entry, select.group(), ownerOfWhole, members, groups);
            long n = entry.getValue().getArray().getShape().size();
            members.computeIfAbsent(entry.getValue().getId(), id -> new ArrayList<>())
                .add(new GroupMember(entry.getKey(), entry.getValue(), index, 0,
                    rows(entry.getValue()), true, n));
            size += n;
          }
        }
        if (size == 0) {
          throw new IllegalArgumentException("group \"" + select.group() + "\" ("
              + select.description() + ") matches no trainable parameter; trainable parameters: "
              + trainableNames + " (overlapping an earlier group also leaves it empty)");
        }
        groups.add(new ParameterGroup(select.group(), size));
      } else if (spec instanceof GroupSpec.Rows rowSpec) {
        Pair<String, Parameter> entry = find(trainable, rowSpec.parameter(), trainableNames);
        long rowCount = rows(entry.getValue());
        for (long r = 0; r < rowCount; r++) {
          addSlice(entry, rowSpec.prefix() + r, r, r + 1, groups, members, ownerOfWhole);
        }
      } else if (spec instanceof GroupSpec.Slice slice) {
        Pair<String, Parameter> entry = find(trainable, slice.parameter(), trainableNames);
        addSlice(entry, slice.group(), slice.from(), slice.to(), groups, members, ownerOfWhole);
      }
    }
    checkSlicesCoverTheirTensors(trainable, members);
    List<String> frozen = new ArrayList<>();
    List<Pair<String, Parameter>> leftover = trainable.stream()
        .filter(e -> !members.containsKey(e.getValue().getId())).toList();
    if (!leftover.isEmpty()) {
      if (rest == null) {
        throw new IllegalArgumentException("trainable parameters in no group: "
            + leftover.stream().map(Pair::getKey).toList() + "; add them to a group, or say what"
            + " happens to them: optRest(Rest.GROUP) trains them as one more group, optRest("
            + "Rest.FREEZE) freezes them when training starts");
      }
      if (rest == Rest.GROUP) {
        if (groups.stream().anyMatch(g -> g.name().equals(REST_GROUP))) {
          throw new IllegalArgumentException("a group is already named \"" + REST_GROUP
              + "\": rename it, or use Rest.FREEZE");
        }
        int index = groups.size();
        long size = 0;
        for (Pair<String, Parameter> entry : leftover) {
          long n = entry.getValue().getArray().getShape().size();
          members.put(entry.getValue().getId(), List.of(new GroupMember(entry.getKey(),
              entry.getValue(), index, 0, rows(entry.getValue()), true, n)));
          size += n;
        }
        groups.add(new ParameterGroup(REST_GROUP, size));
      } else {
        for (Pair<String, Parameter> entry : leftover) {
          frozen.add(entry.getKey());
        }
      }
    }
    GroupLayout layout = GroupLayout.of(groups);
    List<Parameter> toFreeze = rest == Rest.FREEZE
        ? leftover.stream().map(Pair::getValue).toList() : List.of();
    return new ResolvedGroups(layout, members, frozen, toFreeze);
  }

  private static void claimWhole(Pair<String, Parameter> entry, String group,
      Map<String, String> ownerOfWhole, Map<String, List<GroupMember>> members,
      List<ParameterGroup> groups) {
    String previous = ownerOfWhole.putIfAbsent(entry.getKey(), group);
    List<GroupMember> sliced = members.get(entry.getValue().getId());
    if (previous != null || sliced != null) {
      String owner = previous != null ? previous : groups.get(sliced.get(0).group()).name();
      throw new IllegalArgumentException("parameter \"" + entry.getKey() + "\" is selected by both"
          + " group \"" + owner + "\" and group \"" + group + "\": groups must not overlap;"
          + " narrow one of the selections");
    }
  }

  private static void addSlice(Pair<String, Parameter> entry, String group, long from, long to,
      List<ParameterGroup> groups, Map<String, List<GroupMember>> members,
      Map<String, String> ownerOfWhole) {
    Parameter parameter = entry.getValue();
    Shape shape = parameter.getArray().getShape();
    long rowCount = rows(parameter);
    if (to > rowCount) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") for group \"" + group
          + "\" is out of range: parameter \"" + entry.getKey() + "\" has shape " + shape
          + ", rows 0.." + (rowCount - 1));
    }
    if (ownerOfWhole.containsKey(entry.getKey())) {
      throw new IllegalArgumentException("rows of parameter \"" + entry.getKey()
          + "\" are claimed by group \"" + group + "\" but the whole tensor is already in group \""
          + ownerOfWhole.get(entry.getKey()) + "\": groups must not overlap");
    }
    List<GroupMember> existing = members.computeIfAbsent(parameter.getId(), id -> new ArrayList<>());
    for (GroupMember member : existing) {
      if (from < member.toRow() && member.fromRow() < to) {
        throw new IllegalArgumentException("rows [" + from + ", " + to + ") of \"" + entry.getKey()
            + "\" for group \"" + group + "\" overlap rows [" + member.fromRow() + ", "
            + member.toRow() + ") already in group \"" + groups.get(member.group()).name() + "\"");
      }
    }
    long perRow = shape.size() / rowCount;
    long size = (to - from) * perRow;
    existing.add(new GroupMember(entry.getKey(), parameter, groups.size(), from, to, false, size));
    groups.add(new ParameterGroup(group, size));
  }

  private static void checkSlicesCoverTheirTensors(
      List<Pair<String, Parameter>> trainable, Map<String, List<GroupMember>> members) {
    for (Pair<String, Parameter> entry : trainable) {
      List<GroupMember> list = members.get(entry.getValue().getId());
      if (list == null || list.get(0).wholeTensor()) {
        continue;
      }
      long covered = list.stream().mapToLong(m -> m.toRow() - m.fromRow()).sum();
      long rowCount = rows(entry.getValue());
      if (covered != rowCount) {
        throw new IllegalArgumentException("parameter \"" + entry.getKey() + "\" has " + rowCount
            + " rows but its slices cover " + covered + ": every row of a sliced tensor must be"
            + " in a group (use GroupSpec.rows for one group per row)");
      }
    }
  }

  private static Pair<String, Parameter> find(
      List<Pair<String, Parameter>> trainable, String name, List<String> names) {
    return trainable.stream().filter(e -> e.getKey().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown parameter \"" + name
            + "\"; trainable parameters: " + names));
  }

  private static long rows(Parameter parameter) {
    Shape shape = parameter.getArray().getShape();
    return shape.dimension() == 0 ? 1 : shape.get(0);
  }

  /** Builder: add specs in order, and say what happens to parameters in no group, if any. */
  public static final class Builder {
    private final List<GroupSpec> specs = new ArrayList<>();
    private Rest rest;

    private Builder() {}

    /**
     * Adds a group spec; groups are numbered in the order added.
     *
     * @param spec the spec
     * @return this builder
     */
    public Builder add(GroupSpec spec) {
      specs.add(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /**
     * Sets what happens to trainable parameters in no group (no default: without a policy,
     * such parameters are an error when the groups are resolved).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder optRest(Rest policy) {
      this.rest = Objects.requireNonNull(policy, "rest");
      return this;
    }

    /**
     * Builds the grouping.
     *
     * @return the grouping
     */
    public ParameterGroups build() {
      if (specs.isEmpty() && rest != Rest.GROUP) {
        throw new IllegalArgumentException("no groups: add at least one GroupSpec, or use"
            + " optRest(Rest.GROUP) to train everything as one group");
      }
      return new ParameterGroups(specs, rest);
    }
  }
}
