package io.github.hidlr.djl.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.github.hidlr.core.group.GroupLayout;
import io.github.hidlr.core.group.ParameterGroup;
import io.github.hidlr.djl.group.ParameterGroups.Rest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Selecting groups on a small DJL network by pattern, block, kind, predicate, rows and slices;
 * what happens to the parameters in no group; and the errors, which must name what is wrong.
 *
 * <p>The network, with its parameters' full names and shapes (input width 4):
 * <pre>
 *   01Linear           01Linear_weight (8, 4), 01Linear_bias (8)
 *   02BatchNorm        02BatchNorm_gamma (8), 02BatchNorm_beta (8),
 *                      02BatchNorm_runningMean (8), 02BatchNorm_runningVar (8)  (not trainable)
 *   03LambdaBlock      relu
 *   04SequentialBlock  04SequentialBlock_01Linear_weight (6, 8), 04SequentialBlock_01Linear_bias (6)
 *                      04SequentialBlock_02Linear_weight (3, 6), 04SequentialBlock_02Linear_bias (3)
 * </pre>
 */
class ParameterGroupsTest {

  private static final String W1 = "01Linear_weight";
  private static final String B1 = "01Linear_bias";
  private static final String GAMMA = "02BatchNorm_gamma";
  private static final String BETA = "02BatchNorm_beta";
  private static final String INNER_W1 = "04SequentialBlock_01Linear_weight";
  private static final String INNER_B1 = "04SequentialBlock_01Linear_bias";
  private static final String HEAD_W = "04SequentialBlock_02Linear_weight";
  private static final String HEAD_B = "04SequentialBlock_02Linear_bias";
  private static final List<String> TRAINABLE =
      List.of(W1, B1, GAMMA, BETA, INNER_W1, INNER_B1, HEAD_W, HEAD_B);
  private static final Map<String, Long> SIZES = Map.of(
      W1, 32L, B1, 8L, GAMMA, 8L, BETA, 8L, INNER_W1, 48L, INNER_B1, 6L, HEAD_W, 18L, HEAD_B, 3L);
  private static final long TOTAL = 131;

  private NDManager manager;
  private SequentialBlock net;
  private SequentialBlock inner;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    inner = new SequentialBlock()
        .add(Linear.builder().setUnits(6).build())
        .add(Linear.builder().setUnits(3).build());
    net = new SequentialBlock()
        .add(Linear.builder().setUnits(8).build())
        .add(BatchNorm.builder().build())
        .add(Activation::relu)
        .add(inner);
    net.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** Group name → full names of its members ("name[from:to]" for row slices). */
  private static Map<String, List<String>> members(ResolvedGroups resolved) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    GroupLayout layout = resolved.layout();
    for (ParameterGroup group : layout.groups()) {
      out.put(group.name(), new ArrayList<>());
    }
    for (List<GroupMember> list : resolved.membersById().values()) {
      for (GroupMember m : list) {
        out.get(layout.group(m.group()).name())
            .add(m.wholeTensor() ? m.name() : m.name() + "[" + m.fromRow() + ":" + m.toRow() + "]");
      }
    }
    return out;
  }

  private Map<String, Boolean> trainable() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : net.getParameters()) {
      out.put(p.getKey(), p.getValue().requiresGradient());
    }
    return out;
  }

  private Parameter parameter(String name) {
    return net.getParameters().get(name);
  }

  @Test
  void theNetworkHasTheDocumentedTrainableParameters() {
    assertThat(trainable()).containsEntry("02BatchNorm_runningMean", false)
        .containsEntry("02BatchNorm_runningVar", false);
    assertThat(trainable().entrySet().stream().filter(Map.Entry::getValue)
        .map(Map.Entry::getKey).toList()).containsExactlyElementsOf(TRAINABLE);
  }

  @Test
  void patternSelectsWholeTensorsByTheirFullName() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.pattern("head", "04SequentialBlock_02Linear_.*"))
        .add(GroupSpec.pattern("first", "01.*"))
        .optRest(Rest.GROUP)
        .build().resolve(net);
    assertThat(members(resolved)).containsExactly(
        Map.entry("head", List.of(HEAD_W, HEAD_B)),
        Map.entry("first", List.of(W1, B1)),
        Map.entry("rest", List.of(GAMMA, BETA, INNER_W1, INNER_B1)));
    assertThat(resolved.layout().group(0).size()).isEqualTo(21);
    assertThat(resolved.layout().group(1).size()).isEqualTo(40);
    assertThat(resolved.layout().group(2).size()).isEqualTo(TOTAL - 61);
    // The whole name must match: "01.*" does not reach "04SequentialBlock_01Linear_weight".
    assertThat(resolved.members(parameter(INNER_W1).getId()))
        .extracting(GroupMember::group).containsExactly(2);
    assertThat(resolved.members(parameter(HEAD_W).getId())).singleElement()
        .satisfies(m -> {
          assertThat(m.wholeTensor()).isTrue();
          assertThat(m.fromRow()).isZero();
          assertThat(m.toRow()).isEqualTo(3);
          assertThat(m.size()).isEqualTo(18);
        });
  }

  @Test
  void blockSelectsEveryParameterOfANestedBlock() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.block("inner", inner))
        .optRest(Rest.GROUP)
        .build().resolve(net);
    assertThat(members(resolved)).containsExactly(
        Map.entry("inner", List.of(INNER_W1, INNER_B1, HEAD_W, HEAD_B)),
        Map.entry("rest", List.of(W1, B1, GAMMA, BETA)));
    assertThat(resolved.layout().group(0).size()).isEqualTo(75);
    // a block outside the network selects nothing
    Block stranger = new SequentialBlock().add(Linear.builder().setUnits(2).build());
    stranger.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    assertThatThrownBy(() -> ParameterGroups.builder().add(GroupSpec.block("x", stranger))
        .build().resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group \"x\"")
        .hasMessageContaining("matches no trainable parameter");
  }

  @Test
  void blockOfAChildSelectsItsParameters() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.block("head", inner.getChildren().get(1).getValue()))
        .add(GroupSpec.block("norm", net.getChildren().get(1).getValue()))
        .optRest(Rest.FREEZE).build().resolve(net);
    assertThat(members(resolved)).containsExactly(
        Map.entry("head", List.of(HEAD_W, HEAD_B)),
        Map.entry("norm", List.of(GAMMA, BETA)));
    assertThat(resolved.layout().group(0).size()).isEqualTo(21);
    assertThat(resolved.layout().group(1).size()).isEqualTo(16);
  }

  @Test
  void kindSelectsBiasesNormalisationAndWeights() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.kind("bias", ParameterKind.BIAS))
        .add(GroupSpec.kind("norm", ParameterKind.NORM))
        .add(GroupSpec.kind("weight", ParameterKind.WEIGHT))
        .build().resolve(net);
    assertThat(members(resolved)).containsExactly(
        Map.entry("bias", List.of(B1, INNER_B1, HEAD_B)),
        Map.entry("norm", List.of(GAMMA, BETA)),
        Map.entry("weight", List.of(W1, INNER_W1, HEAD_W)));
    assertThat(resolved.layout().totalSize()).isEqualTo(TOTAL);
    assertThat(resolved.frozenByRest()).isEmpty();
    assertThat(ParameterKind.of(parameter(GAMMA))).isEqualTo(ParameterKind.NORM);
    assertThat(ParameterKind.of(parameter("02BatchNorm_runningVar")))
        .isEqualTo(ParameterKind.NORM);
  }

  @Test
  void predicateSeesTheFullNameAndTheParameter() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.predicate("wide", "tensors with more than 20 entries",
            (name, p) -> p.getArray().size() > 20))
        .add(GroupSpec.predicate("inner bias", "biases inside 04SequentialBlock",
            (name, p) -> name.startsWith("04") && p.getType() == Parameter.Type.BIAS))
        .optRest(Rest.FREEZE).build().resolve(net);
    assertThat(members(resolved)).containsExactly(
        Map.entry("wide", List.of(W1, INNER_W1)),
        Map.entry("inner bias", List.of(INNER_B1, HEAD_B)));
  }

  @Test
  void rowsMakeOneGroupPerRowOfATensor() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.rows("task", HEAD_W))
        .add(GroupSpec.rows("taskBias", HEAD_B))
        .optRest(Rest.FREEZE).build().resolve(net);
    assertThat(resolved.layout().names()).containsExactly(
        "task0", "task1", "task2", "taskBias0", "taskBias1", "taskBias2");
    assertThat(resolved.layout().groups()).extracting(ParameterGroup::size)
        .containsExactly(6L, 6L, 6L, 1L, 1L, 1L);
    List<GroupMember> rows = resolved.members(parameter(HEAD_W).getId());
    assertThat(rows).extracting(GroupMember::fromRow).containsExactly(0L, 1L, 2L);
    assertThat(rows).extracting(GroupMember::toRow).containsExactly(1L, 2L, 3L);
    assertThat(rows).extracting(GroupMember::group).containsExactly(0, 1, 2);
    assertThat(rows).noneMatch(GroupMember::wholeTensor);
    assertThat(resolved.members(parameter(HEAD_B).getId()))
        .extracting(GroupMember::group).containsExactly(3, 4, 5);
    // everything else is frozen when training starts (Rest.FREEZE)
    assertThat(resolved.frozenByRest()).containsExactly(W1, B1, GAMMA, BETA, INNER_W1, INNER_B1);
  }

  @Test
  void slicesGroupRangesOfRows() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.slice("top", INNER_W1, 0, 4))
        .add(GroupSpec.slice("bottom", INNER_W1, 4, 6))
        .add(GroupSpec.pattern("others", "04.*bias"))
        .optRest(Rest.FREEZE).build().resolve(net);
    assertThat(members(resolved)).containsExactly(
        Map.entry("top", List.of(INNER_W1 + "[0:4]")),
        Map.entry("bottom", List.of(INNER_W1 + "[4:6]")),
        Map.entry("others", List.of(INNER_B1, HEAD_B)));
    assertThat(resolved.layout().group(0).size()).isEqualTo(32);
    assertThat(resolved.layout().group(1).size()).isEqualTo(16);
  }

  @Test
  void restFreezeFreezesEveryUnselectedParameterWhenTrainingStartsNotWhenResolving() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.block("inner", inner)).optRest(Rest.FREEZE).build();
    ResolvedGroups resolved = groups.resolve(net);
    assertThat(resolved.frozenByRest()).containsExactly(W1, B1, GAMMA, BETA);
    // Resolving changed nothing, so resolving again gives the same groups.
    assertThat(trainable().values().stream().filter(t -> t).count()).isEqualTo(8);
    assertThat(members(groups.resolve(net))).isEqualTo(members(resolved));
    resolved.freezeRest();
    Map<String, Boolean> trainable = trainable();
    for (String name : List.of(W1, B1, GAMMA, BETA)) {
      assertThat(trainable.get(name)).as(name).isFalse();
    }
    for (String name : List.of(INNER_W1, INNER_B1, HEAD_W, HEAD_B)) {
      assertThat(trainable.get(name)).as(name).isTrue();
    }
    assertThat(resolved.layout().names()).containsExactly("inner");
    assertThat(resolved.members(parameter(W1).getId())).isEmpty();
    assertThat(resolved.wholeTensorParameters(0)).extracting(Parameter::getName)
        .containsExactly("weight", "bias", "weight", "bias");
  }

  @Test
  void restGroupCollectsEveryUnselectedParameterAndFreezesNothing() {
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.pattern("head", "04SequentialBlock_02Linear_weight"))
        .optRest(Rest.GROUP)
        .build().resolve(net);
    assertThat(resolved.layout().names()).containsExactly("head", ParameterGroups.REST_GROUP);
    assertThat(members(resolved).get("rest"))
        .containsExactly(W1, B1, GAMMA, BETA, INNER_W1, INNER_B1, HEAD_B);
    assertThat(resolved.layout().group(1).size()).isEqualTo(TOTAL - 18);
    assertThat(resolved.frozenByRest()).isEmpty();
    assertThat(trainable().values().stream().filter(t -> t).count()).isEqualTo(8);
  }

  @Test
  void restGroupAloneTrainsEverythingAsOneGroup() {
    ResolvedGroups resolved = ParameterGroups.builder().optRest(Rest.GROUP).build().resolve(net);
    assertThat(resolved.layout().names()).containsExactly("rest");
    assertThat(resolved.layout().totalSize()).isEqualTo(TOTAL);
    ResolvedGroups single = ParameterGroups.single("all").resolve(net);
    assertThat(members(single).get("all")).containsExactlyElementsOf(TRAINABLE);
  }

  @Test
  void frozenParametersAreNeverSelected() {
    parameter(W1).freeze(true);
    ResolvedGroups resolved = ParameterGroups.builder()
        .add(GroupSpec.pattern("first", "01Linear_.*"))
        .optRest(Rest.GROUP)
        .build().resolve(net);
    assertThat(members(resolved).get("first")).containsExactly(B1);
    assertThat(members(resolved).get("rest")).doesNotContain(W1, "02BatchNorm_runningMean");
  }

  // ---------------------------------------------------------------------------- errors

  @Test
  void parametersInNoGroupWithoutARestPolicyAreAnErrorThatNamesThem() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.block("inner", inner)).build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(List.of(W1, B1, GAMMA, BETA).toString())
        .hasMessageContaining("optRest(Rest.GROUP)").hasMessageContaining("Rest.FREEZE");
    assertThat(trainable().values().stream().filter(t -> t).count()).isEqualTo(8);
  }

  @Test
  void aPatternMatchingNothingListsTheTrainableParameters() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.pattern("head", "05Linear_.*"))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group \"head\"")
        .hasMessageContaining("05Linear_.*")
        .hasMessageContaining("matches no trainable parameter")
        .hasMessageContaining(TRAINABLE.toString());
    // nothing was frozen by the failed resolution
    assertThat(trainable().values().stream().filter(t -> t).count()).isEqualTo(8);
  }

  @Test
  void aPatternMatchingOnlyFrozenParametersMatchesNothing() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.pattern("stats", "02BatchNorm_running.*"))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group \"stats\"")
        .hasMessageContaining("matches no trainable parameter");
  }

  @Test
  void twoGroupsSelectingTheSameTensorAreNamedBoth() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.pattern("first", "01Linear_.*"))
        .add(GroupSpec.kind("biases", ParameterKind.BIAS))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + B1 + "\"")
        .hasMessageContaining("\"first\"")
        .hasMessageContaining("\"biases\"")
        .hasMessageContaining("overlap");
    // a block and one of its children
    ParameterGroups nested = ParameterGroups.builder()
        .add(GroupSpec.block("inner", inner))
        .add(GroupSpec.block("head", inner.getChildren().get(1).getValue()))
        .build();
    assertThatThrownBy(() -> nested.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + HEAD_W + "\"")
        .hasMessageContaining("\"inner\"")
        .hasMessageContaining("\"head\"");
  }

  @Test
  void rowsOfATensorAlreadyInAWholeGroupAreAnOverlap() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.pattern("head", HEAD_W))
        .add(GroupSpec.rows("task", HEAD_W))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + HEAD_W + "\"")
        .hasMessageContaining("\"head\"")
        .hasMessageContaining("\"task0\"")
        .hasMessageContaining("overlap");
  }

  @Test
  void overlappingSlicesAreNamedBoth() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.slice("top", INNER_W1, 0, 4))
        .add(GroupSpec.slice("middle", INNER_W1, 3, 6))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"top\"")
        .hasMessageContaining("\"middle\"")
        .hasMessageContaining("[3, 6)")
        .hasMessageContaining("[0, 4)")
        .hasMessageContaining("overlap");
  }

  @Test
  void aWholeGroupOverlappingAnEarlierSliceNamesBothGroups() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.slice("top", HEAD_W, 0, 3))
        .add(GroupSpec.pattern("all", "04SequentialBlock_02Linear_.*"))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + HEAD_W + "\"")
        .hasMessageContaining("\"top\"")
        .hasMessageContaining("\"all\"");
  }

  @Test
  void aSliceOutOfRangeGivesTheShape() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.slice("tail", HEAD_W, 2, 5))
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 5)")
        .hasMessageContaining("\"tail\"")
        .hasMessageContaining("\"" + HEAD_W + "\"")
        .hasMessageContaining("(3, 6)")
        .hasMessageContaining("out of range");
  }

  @Test
  void anEmptyOrNegativeSliceIsRejectedWhenBuilt() {
    assertThatThrownBy(() -> GroupSpec.slice("s", HEAD_W, 2, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2)");
    assertThatThrownBy(() -> GroupSpec.slice("s", HEAD_W, -1, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-1, 2)");
  }

  @Test
  void aPartlyCoveredSlicedTensorIsRejected() {
    ParameterGroups groups = ParameterGroups.builder()
        .add(GroupSpec.slice("top", INNER_W1, 0, 2))
        .add(GroupSpec.slice("bottom", INNER_W1, 4, 6))
        .optRest(Rest.GROUP)
        .build();
    assertThatThrownBy(() -> groups.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + INNER_W1 + "\"")
        .hasMessageContaining("6 rows")
        .hasMessageContaining("cover 4");
  }

  @Test
  void anUnknownParameterNameListsTheTrainableParameters() {
    for (GroupSpec spec : List.of(GroupSpec.rows("task", "05Linear_weight"),
        GroupSpec.slice("top", "05Linear_weight", 0, 1))) {
      ParameterGroups groups = ParameterGroups.builder().add(spec).build();
      assertThatThrownBy(() -> groups.resolve(net))
          .as(spec.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown parameter \"05Linear_weight\"")
          .hasMessageContaining(TRAINABLE.toString());
    }
    // a frozen parameter is not a trainable one
    ParameterGroups stats = ParameterGroups.builder()
        .add(GroupSpec.rows("s", "02BatchNorm_runningMean")).build();
    assertThatThrownBy(() -> stats.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown parameter \"02BatchNorm_runningMean\"");
  }

  @Test
  void duplicateGroupNamesAreRejected() {
    ParameterGroups twice = ParameterGroups.builder()
        .add(GroupSpec.pattern("g", W1))
        .add(GroupSpec.pattern("g", B1))
        .optRest(Rest.GROUP)
        .build();
    assertThatThrownBy(() -> twice.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate group name \"g\"");
    // rows() names its groups prefix + row: they can collide with a named group too
    ParameterGroups collide = ParameterGroups.builder()
        .add(GroupSpec.pattern("task1", W1))
        .add(GroupSpec.rows("task", HEAD_W))
        .optRest(Rest.GROUP)
        .build();
    assertThatThrownBy(() -> collide.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate group name \"task1\"");
    ParameterGroups rest = ParameterGroups.builder()
        .add(GroupSpec.pattern("rest", W1))
        .optRest(Rest.GROUP)
        .build();
    assertThatThrownBy(() -> rest.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already named \"rest\"");
  }

  @Test
  void aFailedResolutionFreezesNothing() {
    ParameterGroups twice = ParameterGroups.builder()
        .add(GroupSpec.pattern("g", W1))
        .add(GroupSpec.pattern("g", B1))
        .optRest(Rest.FREEZE).build();
    assertThatThrownBy(() -> twice.resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate group name \"g\"");
    assertThat(trainable().values().stream().filter(t -> t).count())
        .as("trainable parameters after the failed resolution: %s", trainable())
        .isEqualTo(8);
  }

  @Test
  void otherMistakesFailFast() {
    assertThatThrownBy(() -> ParameterGroups.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no groups");
    assertThatThrownBy(() -> GroupSpec.pattern(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    Block fresh = new SequentialBlock().add(Linear.builder().setUnits(2).build());
    assertThatThrownBy(() -> ParameterGroups.single("all").resolve(fresh))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not initialised");
    net.freezeParameters(true);
    assertThatThrownBy(() -> ParameterGroups.single("all").resolve(net))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no trainable parameter");
  }
}
