package io.github.hidlr.djl.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns trained DJL {@link Linear} layers into {@link LoRALinear} layers (Hu et al. 2021,
 * arXiv:2106.09685): the trained weight and bias become the frozen base {@code W₀, b}, a fresh
 * {@code A} and a zero {@code B} are added, so the new layer computes exactly the old one until
 * {@code B} is trained: {@code y = x W₀ᵀ + b + (α/r) · (x Aᵀ) Bᵀ}.
 *
 * <p>Layers are addressed by their <em>child path</em>: the names DJL gives the children of
 * {@link SequentialBlock}s ({@code NN} + class name, {@code NN} counting every child from 1),
 * joined by {@code _} through nested sequential blocks, e.g. {@code 03Linear} or
 * {@code 02SequentialBlock_01Linear}. A parameter's full name in {@code getParameters()} is its
 * block's path, {@code _}, and its own name ({@code 03Linear_weight}); replacing
 * {@code 03Linear} gives {@code 03LoRALinear_loraA}.
 *
 * <p>{@link #wrap} returns a <em>new</em> {@link SequentialBlock}; the source network is not
 * modified. Children that are not replaced are <em>shared</em> (the same block objects, hence
 * the same parameter arrays) with the source network: training the new network also changes
 * the source's head. Replaced layers copy their weights, so the source's {@link Linear} layers
 * keep their values. Only children whose class is exactly {@link Linear} are replaced (a
 * subclass may compute something else), and the search descends only into children whose class
 * is exactly {@link SequentialBlock}; layers inside other containers are kept as they are.
 *
 * <p>The arrays of a new {@link LoRALinear} live in the given {@link NDManager} or, by default,
 * in the manager of the {@link Linear}'s weight (for a model, the model's manager). Shared
 * children keep their arrays where they are, in the source model's manager whatever manager is
 * given: keep the source model open while the new network is in use.
 *
 * <pre>{@code
 * LoRAWrapped lora = LoRA.wrapAllButHead(pretrained, 8, 16f, model2.getNDManager());
 * model2.setBlock(lora.block());
 * String a = lora.groups().aPattern();     // ^(?:01LoRALinear_loraA|03LoRALinear_loraA)$
 * }</pre>
 */
public final class LoRA {

  private LoRA() {}

  /**
   * A {@link LoRALinear} computing exactly what {@code linear} computes: its weight and bias are
   * copied into the frozen base, {@code A} is random and {@code B = 0}. The arrays live in the
   * manager of {@code linear}'s weight.
   *
   * @param linear an initialised layer
   * @param rank {@code r ≥ 1}
   * @param alpha {@code α > 0}, finite
   * @return a new, initialised block with frozen {@code W₀} and {@code b}
   * @throws IllegalArgumentException if {@code linear} is not initialised or rank or alpha is
   *     invalid
   */
  public static LoRALinear fromLinear(Linear linear, int rank, float alpha) {
    Objects.requireNonNull(linear, "linear");
    return fromLinear(linear, rank, alpha, managerOf(linear));
  }

  /**
   * A {@link LoRALinear} computing exactly what {@code linear} computes: its weight and bias are
   * copied into the frozen base, {@code A} is drawn from the engine's random generator and
   * {@code B = 0}.
   *
   * @param linear an initialised layer
   * @param rank {@code r ≥ 1}
   * @param alpha {@code α > 0}, finite
   * @param manager where the new block's arrays live (e.g. the new model's manager)
   * @return a new, initialised block with frozen {@code W₀} and {@code b}
   * @throws IllegalArgumentException if {@code linear} is not initialised or rank or alpha is
   *     invalid
   */
  public static LoRALinear fromLinear(Linear linear, int rank, float alpha, NDManager manager) {
    Objects.requireNonNull(linear, "linear");
    Objects.requireNonNull(manager, "manager");
    LoRALinear.checkRank(rank);
    LoRALinear.checkAlpha(alpha);
    if (!linear.isInitialized()) {
      throw new IllegalArgumentException(
          "the Linear to wrap is not initialised, so there is no trained weight to copy:"
              + " initialise it first (trainer.initialize(shape) or block.initialize(manager,"
              + " dataType, shape))");
    }
    NDArray weight = linear.getDirectParameters().get(LoRALinear.WEIGHT).getArray();
    Parameter biasParameter = linear.getDirectParameters().get(LoRALinear.BIAS);
    NDArray bias = biasParameter == null ? null : biasParameter.getArray();
    Shape shape = weight.getShape();
    LoRALinear lora =
        LoRALinear.builder()
            .setUnits(shape.get(0))
            .setRank(rank)
            .optAlpha(alpha)
            .optBias(bias != null)
            .build();
    lora.setInitializer(copyOf(weight), LoRALinear.WEIGHT);
    if (bias != null) {
      lora.setInitializer(copyOf(bias), LoRALinear.BIAS);
    }
    lora.initialize(manager, weight.getDataType(), inputShapeOf(linear, shape.get(1)));
    // Drop the copying initialisers: they would keep the source arrays reachable.
    lora.setInitializer(Parameter.Type.WEIGHT.getInitializer(), LoRALinear.WEIGHT);
    if (bias != null) {
      lora.setInitializer(Parameter.Type.BIAS.getInitializer(), LoRALinear.BIAS);
    }
    return lora;
  }

  /**
   * A new network in which every selected {@link Linear} child is replaced by
   * {@link #fromLinear its LoRA version}; everything else is shared with {@code net} (see the
   * class comment). The new layers' arrays live in the managers of the layers they replace.
   *
   * @param net an initialised network
   * @param rank {@code r ≥ 1}
   * @param alpha {@code α > 0}, finite
   * @param select tested on the child path of every {@link Linear} (e.g. {@code 01Linear},
   *     {@code 02SequentialBlock_01Linear}); true replaces it
   * @return the new, initialised network; at initialisation it computes exactly what
   *     {@code net} computes
   * @throws IllegalArgumentException if {@code net} is not initialised, {@code select} selects
   *     no {@link Linear} (the message lists those that exist), or rank or alpha is invalid
   */
  public static SequentialBlock wrap(
      SequentialBlock net, int rank, float alpha, Predicate<String> select) {
    return rewrite(net, rank, alpha, select, null, new ArrayList<>());
  }

  /**
   * As {@link #wrap(SequentialBlock, int, float, Predicate)}, with the new layers' arrays in
   * {@code manager}.
   *
   * @param net an initialised network
   * @param rank {@code r ≥ 1}
   * @param alpha {@code α > 0}, finite
   * @param select tested on the child path of every {@link Linear}; true replaces it
   * @param manager where the new layers' arrays live (e.g. the new model's manager)
   * @return the new, initialised network
   * @throws IllegalArgumentException if {@code net} is not initialised, {@code select} selects
   *     no {@link Linear}, or rank or alpha is invalid
   */
  public static SequentialBlock wrap(
      SequentialBlock net, int rank, float alpha, Predicate<String> select, NDManager manager) {
    Objects.requireNonNull(manager, "manager");
    return rewrite(net, rank, alpha, select, manager, new ArrayList<>());
  }

  /**
   * The common case: every {@link Linear} except the last one in forward order (the head) gets
   * LoRA; the head stays a trainable {@link Linear} shared with {@code net}. The new layers'
   * arrays live in the managers of the layers they replace.
   *
   * @param net an initialised network with at least two {@link Linear} layers
   * @param rank {@code r ≥ 1}
   * @param alpha {@code α > 0}, finite
   * @return the new network, its LoRA and head paths, and the group patterns
   * @throws IllegalArgumentException if {@code net} is not initialised, has fewer than two
   *     {@link Linear} layers, or rank or alpha is invalid
   */
  public static LoRAWrapped wrapAllButHead(SequentialBlock net, int rank, float alpha) {
    return allButHead(net, rank, alpha, null);
  }

  /**
   * As {@link #wrapAllButHead(SequentialBlock, int, float)}, with the new layers' arrays in
   * {@code manager}.
   *
   * @param net an initialised network with at least two {@link Linear} layers
   * @param rank {@code r ≥ 1}
   * @param alpha {@code α > 0}, finite
   * @param manager where the new layers' arrays live (e.g. the new model's manager)
   * @return the new network, its LoRA and head paths, and the group patterns
   * @throws IllegalArgumentException if {@code net} is not initialised, has fewer than two
   *     {@link Linear} layers, or rank or alpha is invalid
   */
  public static LoRAWrapped wrapAllButHead(
      SequentialBlock net, int rank, float alpha, NDManager manager) {
    Objects.requireNonNull(manager, "manager");
    return allButHead(net, rank, alpha, manager);
  }

  private static LoRAWrapped allButHead(
      SequentialBlock net, int rank, float alpha, NDManager manager) {
    Objects.requireNonNull(net, "net");
    List<String> linears = linearPaths(net);
    if (linears.size() < 2) {
      throw new IllegalArgumentException(
          "wrapAllButHead needs at least two Linear layers (LoRA layers and a head), found "
              + linears
              + ": use wrap(net, rank, alpha, select) to choose layers yourself");
    }
    String head = linears.get(linears.size() - 1);
    List<String> loraPaths = new ArrayList<>();
    SequentialBlock block =
        rewrite(net, rank, alpha, path -> !path.equals(head), manager, loraPaths);
    return new LoRAWrapped(block, loraPaths, head, groups(block, head));
  }

  /**
   * The child paths of the {@link Linear} layers that {@link #wrap} can replace, in forward
   * order: children of class exactly {@link Linear}, found through nested blocks of class
   * exactly {@link SequentialBlock}.
   *
   * @param net a network
   * @return paths such as {@code [01Linear, 03Linear, 05Linear]}
   */
  public static List<String> linearPaths(SequentialBlock net) {
    Objects.requireNonNull(net, "net");
    List<String> out = new ArrayList<>();
    collectLinears(net, "", out);
    return List.copyOf(out);
  }

  /**
   * The group patterns of a network with LoRA layers: {@code A} and {@code B} of every
   * {@link LoRALinear} anywhere in {@code wrapped} (through any container), and every parameter
   * of the block at {@code headPath}.
   *
   * @param wrapped a network containing {@link LoRALinear} blocks
   * @param headPath the child path of the head, e.g. {@code 05Linear}
   * @return the patterns, each an anchored alternation of exact full names
   * @throws IllegalArgumentException if {@code wrapped} has no {@link LoRALinear}, or
   *     {@code headPath} names no block with parameters, or names a {@link LoRALinear} or a block
   *     containing one (the message lists the paths that exist)
   */
  public static LoRAGroups groups(Block wrapped, String headPath) {
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(headPath, "headPath");
    List<String> loraPaths = new ArrayList<>();
    List<String> allPaths = new ArrayList<>();
    Block[] head = new Block[1];
    walk(wrapped, "", loraPaths, allPaths, headPath, head);
    if (loraPaths.isEmpty()) {
      throw new IllegalArgumentException(
          "the network has no LoRALinear block, so there are no A and B groups: wrap it first"
              + " (LoRA.wrap or LoRA.wrapAllButHead)");
    }
    if (head[0] == null) {
      throw new IllegalArgumentException(
          "head \"" + headPath + "\" is not a child path of the network; child paths: "
              + allPaths);
    }
    if (head[0] instanceof LoRALinear || loraPaths.stream().anyMatch(p -> isUnder(p, headPath))) {
      throw new IllegalArgumentException(
          "head \""
              + headPath
              + "\" is or contains a LoRALinear, so the head group would overlap A and B;"
              + " name a block kept outside LoRA (LoRA blocks: "
              + loraPaths
              + ")");
    }
    List<String> headNames =
        head[0].getParameters().keys().stream()
            .map(name -> fullName(headPath, name))
            .collect(Collectors.toList());
    if (headNames.isEmpty()) {
      throw new IllegalArgumentException(
          "head \"" + headPath + "\" has no parameters; name the block holding the head weights");
    }
    return new LoRAGroups(
        alternation(suffixed(loraPaths, LoRALinear.LORA_A)),
        alternation(suffixed(loraPaths, LoRALinear.LORA_B)),
        alternation(headNames));
  }

  private static SequentialBlock rewrite(
      SequentialBlock net,
      int rank,
      float alpha,
      Predicate<String> select,
      NDManager manager,
      List<String> loraPaths) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(select, "select");
    LoRALinear.checkRank(rank);
    LoRALinear.checkAlpha(alpha);
    if (!net.isInitialized()) {
      throw new IllegalArgumentException(
          "the network to wrap is not initialised, so there are no trained weights to copy:"
              + " initialise it first (trainer.initialize(shape) or block.initialize(manager,"
              + " dataType, shape))");
    }
    List<String> linears = linearPaths(net);
    Set<String> selected = new LinkedHashSet<>();
    for (String path : linears) {
      if (select.test(path)) {
        selected.add(path);
      }
    }
    if (selected.isEmpty()) {
      throw new IllegalArgumentException(
          "select chose none of the network's Linear layers "
              + linears
              + ": the predicate is tested on these child paths (nested ones look like"
              + " 02SequentialBlock_01Linear); choose at least one");
    }
    List<LoRALinear> created = new ArrayList<>();
    SequentialBlock out = rebuild(net, "", selected, rank, alpha, manager, loraPaths, created);
    NDArray firstWeight = created.get(0).getDirectParameters().get(LoRALinear.WEIGHT).getArray();
    // Every parameter already holds its array; this only gives the new containers their input
    // shapes (needed by getOutputShapes, saving and isInitialized).
    out.initialize(firstWeight.getManager(), firstWeight.getDataType(), net.getInputShapes());
    return out;
  }

  /**
   * Copies {@code source}, replacing the selected layers; appends the new LoRA layers' paths,
   * relative to the returned block, to {@code loraPaths}.
   */
  private static SequentialBlock rebuild(
      SequentialBlock source,
      String sourcePrefix,
      Set<String> selected,
      int rank,
      float alpha,
      NDManager manager,
      List<String> loraPaths,
      List<LoRALinear> created) {
    SequentialBlock out = new SequentialBlock();
    out.setReturnIntermediate(source.isReturnIntermediate());
    for (Pair<String, Block> child : source.getChildren()) {
      String path = sourcePrefix + child.getKey();
      Block block = child.getValue();
      if (selected.contains(path)) {
        Linear linear = (Linear) block;
        LoRALinear lora =
            fromLinear(linear, rank, alpha, manager != null ? manager : managerOf(linear));
        created.add(lora);
        out.add(lora);
        loraPaths.add(lastKey(out));
      } else if (isPlainSequential(block) && selected.stream().anyMatch(p -> isUnder(p, path))) {
        List<String> inner = new ArrayList<>();
        out.add(
            rebuild(
                (SequentialBlock) block,
                path + "_",
                selected,
                rank,
                alpha,
                manager,
                inner,
                created));
        String key = lastKey(out);
        inner.forEach(p -> loraPaths.add(key + "_" + p));
      } else {
        out.add(block);
      }
    }
    return out;
  }

  private static void collectLinears(SequentialBlock block, String prefix, List<String> out) {
    for (Pair<String, Block> child : block.getChildren()) {
      String path = prefix + child.getKey();
      Block value = child.getValue();
      if (value.getClass() == Linear.class) {
        out.add(path);
      } else if (isPlainSequential(value)) {
        collectLinears((SequentialBlock) value, path + "_", out);
      }
    }
  }

  private static void walk(
      Block block,
      String prefix,
      List<String> loraPaths,
      List<String> allPaths,
      String headPath,
      Block[] head) {
    for (Pair<String, Block> child : block.getChildren()) {
      String path = prefix + child.getKey();
      Block value = child.getValue();
      allPaths.add(path);
      if (path.equals(headPath)) {
        head[0] = value;
      }
      if (value instanceof LoRALinear) {
        loraPaths.add(path);
      } else {
        walk(value, path + "_", loraPaths, allPaths, headPath, head);
      }
    }
  }

  private static boolean isPlainSequential(Block block) {
    return block.getClass() == SequentialBlock.class;
  }

  private static boolean isUnder(String path, String ancestor) {
    return path.startsWith(ancestor + "_");
  }

  private static String lastKey(SequentialBlock block) {
    BlockList children = block.getChildren();
    return children.get(children.size() - 1).getKey();
  }

  private static String fullName(String path, String name) {
    return path.isEmpty() ? name : path + "_" + name;
  }

  private static List<String> suffixed(List<String> paths, String name) {
    return paths.stream().map(p -> fullName(p, name)).collect(Collectors.toList());
  }

  private static String alternation(List<String> names) {
    return names.stream()
        .map(n -> n.matches("[A-Za-z0-9_]+") ? n : Pattern.quote(n))
        .collect(Collectors.joining("|", "^(?:", ")$"));
  }

  private static NDManager managerOf(Linear linear) {
    if (!linear.isInitialized()) {
      throw new IllegalArgumentException(
          "the Linear to wrap is not initialised, so there is no trained weight to copy:"
              + " initialise it first");
    }
    return linear.getDirectParameters().get(LoRALinear.WEIGHT).getArray().getManager();
  }

  /**
   * The input shape recorded by {@code linear}, with {@code in} features. DJL's {@link Linear}
   * records the full shape when initialised but only the leading axes when loaded from a file.
   */
  private static Shape inputShapeOf(Linear linear, long in) {
    Shape[] shapes = linear.getInputShapes();
    if (shapes == null || shapes.length != 1 || shapes[0] == null) {
      return new Shape(1, in);
    }
    Shape shape = shapes[0];
    if (shape.dimension() >= 1 && shape.get(shape.dimension() - 1) == in) {
      return shape;
    }
    return shape.add(in);
  }

  /**
   * An initialiser returning a copy of {@code source} in the target manager. The copy goes
   * through a host buffer, so it records no autograd history whatever the thread's grad mode.
   */
  private static Initializer copyOf(NDArray source) {
    return (manager, shape, dataType) -> {
      if (!shape.equals(source.getShape())) {
        throw new IllegalStateException(
            "copy of shape " + source.getShape() + " requested with shape " + shape);
      }
      NDArray copy = manager.create(source.toByteBuffer(), source.getShape(), source.getDataType());
      if (copy.getDataType() == dataType) {
        return copy;
      }
      NDArray cast = copy.toType(dataType, true);
      copy.close();
      return cast;
    };
  }
}
