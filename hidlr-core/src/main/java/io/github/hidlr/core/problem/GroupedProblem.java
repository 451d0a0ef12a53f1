package io.github.hidlr.core.problem;

import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function with its coordinates partitioned into groups: coordinate {@code i} belongs to
 * group {@code groupOf[i]} of {@code layout}.
 *
 * @param function the function
 * @param groupOf the group index of each coordinate
 * @param layout the groups, sized by how many coordinates each holds
 */
public record GroupedProblem(DifferentiableFunction function, int[] groupOf, GroupLayout layout) {

  /** Validates that every group holds exactly the coordinates assigned to it. */
  public GroupedProblem {
    if (groupOf.length != function.dimension()) {
      throw new IllegalArgumentException("groupOf has " + groupOf.length
          + " entries for a function of dimension " + function.dimension());
    }
    long[] counts = new long[layout.size()];
    for (int i = 0; i < groupOf.length; i++) {
      if (groupOf[i] < 0 || groupOf[i] >= layout.size()) {
        throw new IllegalArgumentException("coordinate " + i + " is in group " + groupOf[i]
            + " but the layout has groups 0.." + (layout.size() - 1));
      }
      counts[groupOf[i]]++;
    }
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] != layout.group(k).size()) {
        throw new IllegalArgumentException("group \"" + layout.group(k).name() + "\" declares "
            + layout.group(k).size() + " parameters but " + counts[k] + " coordinates map to it");
      }
    }
    groupOf = groupOf.clone();
  }

  /**
   * One group per coordinate ({@code x0, x1, …}): Hi-DLR is then diagonal Newton.
   *
   * @param function the function
   * @return the grouped problem
   */
  public static GroupedProblem perCoordinate(DifferentiableFunction function) {
    int n = function.dimension();
    int[] groupOf = new int[n];
    Arrays.setAll(groupOf, i -> i);
    return new GroupedProblem(function, groupOf, GroupLayout.perCoordinate(n));
  }

  /**
   * All coordinates in one group: the uniform rate of GeN (Hi-ULR).
   *
   * @param function the function
   * @return the grouped problem
   */
  public static GroupedProblem single(DifferentiableFunction function) {
    return new GroupedProblem(function, new int[function.dimension()],
        GroupLayout.single("all", function.dimension()));
  }

  /**
   * Groups given by the group index of each coordinate, named {@code g0, g1, …}.
   *
   * @param function the function
   * @param groupOf group index per coordinate, covering {@code 0..K-1}
   * @return the grouped problem
   */
  public static GroupedProblem of(DifferentiableFunction function, int... groupOf) {
    int groups = Arrays.stream(groupOf).max().orElse(-1) + 1;
    long[] counts = new long[Math.max(groups, 0)];
    for (int g : groupOf) {
      if (g < 0) {
        throw new IllegalArgumentException("group index " + g + " must be ≥ 0");
      }
      counts[g]++;
    }
    List<ParameterGroup> list = new ArrayList<>();
    for (int k = 0; k < groups; k++) {
      list.add(new ParameterGroup("g" + k, counts[k]));
    }
    return new GroupedProblem(function, groupOf, GroupLayout.of(list));
  }

  /**
   * The group index of each coordinate.
   *
   * @return a copy
   */
  @Override
  public int[] groupOf() {
    return groupOf.clone();
  }

  /**
   * {@code x − Σ_k ξ_k d_(k)}.
   *
   * @param x the point
   * @param direction {@code d}
   * @param displacement {@code ξ}, one per group
   * @return a new point
   */
  public double[] displace(double[] x, double[] direction, double[] displacement) {
    double[] out = x.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] -= displacement[groupOf[i]] * direction[i];
    }
    return out;
  }
}
