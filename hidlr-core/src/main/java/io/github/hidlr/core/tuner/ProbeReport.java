package io.github.hidlr.core.tuner;

import io.github.hidlr.core.probe.ProbeScheme;
import java.util.List;

/**
 * Everything one probe did, for listeners, traces and tests. Frozen groups are not probed
 * and do not appear in {@link #groups()}.
 *
 * @param step the training step {@code t} at which the probe ran
 * @param scheme the probe scheme
 * @param forwardPasses loss evaluations spent
 * @param l0 loss at the current weights on the probe batch
 * @param rSquared REGRESSION's goodness of fit; NaN for the other schemes
 * @param nonFiniteLoss whether a probe loss was NaN or infinite (every rate was halved)
 * @param fullSolve FULL only: whether {@code A} restricted to the valid groups was positive
 *     definite and {@code A⁻¹ b} was used; false means the diagonal rule was used
 * @param groups per probed group, in layout order
 * @param newlyFrozen groups frozen by this probe
 * @param jointLoss the loss {@code L(w − D)} along the combined step {@code D = Σ ê_k d_(k)}
 *     (two-sided joint scale), NaN when the joint scale is off
 * @param jointScale the factor the joint scale applied to every estimate (1: none), NaN when
 *     it is off
 */
public record ProbeReport(
    long step,
    ProbeScheme.Kind scheme,
    int forwardPasses,
    double l0,
    double rSquared,
    boolean nonFiniteLoss,
    boolean fullSolve,
    List<GroupProbe> groups,
    List<String> newlyFrozen,
    double jointLoss,
    double jointScale) {

  /** Copies the lists. */
  public ProbeReport {
    groups = List.copyOf(groups);
    newlyFrozen = List.copyOf(newlyFrozen);
  }

  /**
   * The diagnostics of one group.
   *
   * @param name the group's name
   * @return its entry
   * @throws IllegalArgumentException if the group was not probed
   */
  public GroupProbe group(String name) {
    for (GroupProbe group : groups) {
      if (group.group().equals(name)) {
        return group;
      }
    }
    throw new IllegalArgumentException("group \"" + name + "\" was not probed at step " + step
        + "; probed: " + groups.stream().map(GroupProbe::group).toList());
  }
}
