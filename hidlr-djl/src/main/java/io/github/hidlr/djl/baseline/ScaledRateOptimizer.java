package io.github.hidlr.djl.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs one of hidlr's linear optimizers ({@code io.github.hidlr.djl.optim}, whose update is {@code
 * w ← w − η·d} with {@code d} independent of {@code η}) at a scheduled and per-parameter rate:
 *
 * <pre>
 *   w ← w − λ_p · m(t) · η · d          m: a {@link LearningRateSchedule}, t the 0-based step
 *                                       λ_p: the factor of the first scale rule matching p, else 1
 * </pre>
 *
 * <p>It lets the base optimizer take its step at {@code η} and rescales the update it made, {@code
 * w ← w_before − λ_p·m(t)·Δ}, which is exact because {@code Δ = η·d} and the base optimizer's state
 * does not depend on {@code η} (the same argument as Hi-DLR's, ALGORITHM.md §6). Scale rules are
 * regular expressions over full parameter names ({@code block.getParameters()} keys); LoRA+ is the
 * rule "{@code B} matrices × 16" ({@link LoRAPlus}).
 *
 * <p>The step index {@code t} counts steps as DJL's own optimizers do: the most updates any
 * parameter received so far, minus one. At the first update of each step every gradient of the
 * block is checked, so a NaN or infinite gradient is refused ({@link IllegalArgumentException}
 * naming the parameter) before any weight moved, and the gradients are cleared. Not for the
 * baselines of this package: their update is not linear in their rate and is applied once per
 * whole step, so they schedule their rate inside ({@code optSchedule} on their builders).
 * Single device; not thread-safe.
 */
public final class ScaledRateOptimizer extends Optimizer implements EffectiveRate {

  /** "HDLS": marks a stream written by {@link #saveState}. */
  private static final int STATE_MAGIC = 0x48444C53;

  /** Version of the {@link #saveState} format. */
  public static final int STATE_VERSION = 1;

  private final NdOptimizer base;
  private final Block block;
  private final LearningRateSchedule schedule;
  private final List<ScaleRule> rules;
  private final Map<String, Long> counts = new HashMap<>();
  private final Map<String, Double> factorById = new HashMap<>();
  private long steps;

  /**
   * A per-parameter rate factor: parameters whose full name matches {@code regex} (entirely) move
   * {@code factor} times as far.
   *
   * @param regex a regular expression over full parameter names
   * @param factor the factor {@code λ_p}, finite and {@code > 0}
   */
  public record ScaleRule(String regex, double factor) {

    /** Checks the arguments. */
    public ScaleRule {
      Objects.requireNonNull(regex, "regex");
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "scale pattern \"" + regex + "\" is not a valid regular expression: "
                + e.getDescription(),
            e);
      }
      if (!(Double.isFinite(factor) && factor > 0)) {
        throw new IllegalArgumentException(
            "scale factor for \"" + regex + "\" must be finite and > 0, got " + factor);
      }
    }

    boolean matches(String name) {
      return Pattern.matches(regex, name);
    }
  }

  private ScaledRateOptimizer(Builder builder) {
    super(builder);
    this.base = builder.base;
    this.block = builder.block;
    this.schedule = builder.schedule;
    this.rules = List.copyOf(builder.rules);
  }

  /**
   * Returns a builder; {@code setBase} and {@code setBlock} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the wrapped optimizer.
   *
   * @return the base optimizer
   */
  public NdOptimizer base() {
    return base;
  }

  /**
   * Returns the schedule.
   *
   * @return the schedule
   */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /**
   * Returns the scale rules, in the order they are tried.
   *
   * @return the rules
   */
  public List<ScaleRule> rules() {
    return rules;
  }

  /**
   * Returns how many steps were taken: the 0-based index of the next step.
   *
   * @return the step index
   */
  public long stepIndex() {
    return steps;
  }

  /**
   * Returns the factor {@code λ_p} of a parameter.
   *
   * @param fullName a key of {@code block.getParameters()}
   * @return the factor of the first matching rule, or 1
   */
  public double factor(String fullName) {
    for (ScaleRule rule : rules) {
      if (rule.matches(fullName)) {
        return rule.factor();
      }
    }
    return 1;
  }

  /** {@inheritDoc} */
  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    if (!(weight instanceof PtNDArray)) {
      throw new IllegalArgumentException(
          "ScaledRateOptimizer runs on DJL's PyTorch engine only; parameter "
              + parameterId
              + " is a "
              + weight.getClass().getName());
    }
    long count = counts.getOrDefault(parameterId, 0L) + 1;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      if (count > steps) {
        // The first update of a new step: refuse it whole if any gradient is not finite.
        checkGradients(parameterId, grad);
      }
      double scale = schedule.multiplier(Math.max(count, steps) - 1) * factorOf(parameterId);
      if (scale == 1) {
        base.update(parameterId, weight, grad);
      } else {
        NDArray before = weight.duplicate();
        base.update(parameterId, weight, grad);
        // w ← w_before + λ·m·(w_after − w_before): Δ scaled, exact since Δ = η·d.
        weight.subi(before).muli((float) scale).addi(before);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    counts.put(parameterId, count);
    steps = Math.max(steps, count);
  }

  private double factorOf(String parameterId) {
    Double known = factorById.get(parameterId);
    if (known != null) {
      return known;
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getId().equals(parameterId)) {
        double factor = factor(p.getKey());
        factorById.put(parameterId, factor);
        return factor;
      }
    }
    throw new IllegalArgumentException(
        "parameter "
            + parameterId
            + " is not a parameter of the block given to setBlock; its parameters are "
            + block.getParameters().keys()
            + ". Build the optimizer with the block of the model it trains");
  }

  private void checkGradients(String parameterId, NDArray grad) {
    String bad = null;
    if (!isFinite(grad)) {
      bad = nameOf(parameterId);
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (bad != null) {
        break;
      }
      if (!parameter.requiresGradient()
          || !parameter.isInitialized()
          || !parameter.getArray().hasGradient()) {
        continue;
      }
      try (NDArray g = parameter.getArray().getGradient()) {
        if (!isFinite(g)) {
          bad = p.getKey();
        }
      }
    }
    if (bad == null) {
      return;
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (parameter.isInitialized() && parameter.getArray().hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) parameter.getArray());
      }
    }
    throw new IllegalArgumentException(
        "the gradient of parameter \""
            + bad
            + "\" holds NaN or infinite values: step "
            + steps
            + " was refused before any weight or state changed, and every gradient was cleared."
            + " Check the data and the loss for NaN or infinite values, lower the learning rate,"
            + " or clip gradients (optClipGrad)");
  }

  private String nameOf(String parameterId) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getId().equals(parameterId)) {
        return p.getKey();
      }
    }
    return parameterId;
  }

  private static boolean isFinite(NDArray array) {
    try (NDArray bad = array.isNaN().logicalOr(array.isInfinite()).any()) {
      return !bad.getBoolean();
    }
  }

  /**
   * Returns {@code η·m(t)} of the next step (for parameters without a scale rule).
   *
   * @return the effective learning rate
   */
  @Override
  public double effectiveLearningRate() {
    return base.learningRate() * schedule.multiplier(steps);
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, Double> diagnostics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("effectiveLearningRate", effectiveLearningRate());
    out.put("stepIndex", (double) steps);
    out.put("multiplier", schedule.multiplier(steps));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Writes the step index (magic {@code "HDLS"}, version, step index), then the base optimizer's
   * state ({@link NdOptimizer#saveState}).
   *
   * @param block the block whose parameters this optimizer trains
   * @param out the stream to write to; flushed, not closed
   * @throws IOException if writing fails
   */
  public void saveState(Block block, DataOutputStream out) throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(out, "out");
    out.writeInt(STATE_MAGIC);
    out.writeInt(STATE_VERSION);
    out.writeLong(steps);
    base.saveState(block, out);
  }

  /**
   * Reads state written by {@link #saveState}; nothing is installed unless the stream is valid.
   * Every parameter of the block resumes at the saved step index.
   *
   * @param block the block, initialized, with the same parameter names and shapes as when saved
   * @param manager the manager to decode arrays with
   * @param in the stream to read from; not closed
   * @throws IllegalArgumentException if the stream is not such state or is corrupt
   * @throws IOException if reading fails
   */
  public void loadState(Block block, NDManager manager, DataInputStream in) throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(in, "in");
    long saved;
    try {
      int magic = in.readInt();
      if (magic != STATE_MAGIC) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "not the state of a ScaledRateOptimizer: magic 0x%08X, expected 0x%08X"
                    + " (\"HDLS\"); pass a stream written by its saveState",
                magic,
                STATE_MAGIC));
      }
      int version = in.readInt();
      if (version != STATE_VERSION) {
        throw new IllegalArgumentException(
            "ScaledRateOptimizer state version "
                + version
                + " is not supported; this build reads version "
                + STATE_VERSION);
      }
      saved = in.readLong();
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "optimizer state stream ends early: it is truncated or not written by"
              + " ScaledRateOptimizer.saveState",
          e);
    }
    if (saved < 0) {
      throw new IllegalArgumentException(
          "optimizer state gives step index " + saved + "; the stream is corrupt");
    }
    base.loadState(block, manager, in);
    counts.clear();
    factorById.clear();
    for (Pair<String, Parameter> p : block.getParameters()) {
      counts.put(p.getValue().getId(), saved);
    }
    steps = saved;
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "ScaledRateOptimizer{base=" + base + ", schedule=" + schedule + ", rules=" + rules + "}";
  }

  /** Builds a {@link ScaledRateOptimizer}; {@code setBase} and {@code setBlock} are required. */
  public static final class Builder extends OptimizerBuilder<Builder> {

    private NdOptimizer base;
    private Block block;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private final List<ScaleRule> rules = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the optimizer to run (required), with its own learning rate {@code η}.
     *
     * @param base one of {@code io.github.hidlr.djl.optim}'s optimizers
     * @return this builder
     */
    public Builder setBase(NdOptimizer base) {
      this.base = base;
      return this;
    }

    /**
     * Sets the model's block (required): it maps DJL's parameter ids to names.
     *
     * @param block the model's block
     * @return this builder
     */
    public Builder setBlock(Block block) {
      this.block = block;
      return this;
    }

    /**
     * Sets the schedule {@code m(t)}. Defaults to constant.
     *
     * @param schedule the schedule
     * @return this builder
     */
    public Builder optSchedule(LearningRateSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    /**
     * Adds a scale rule: parameters whose full name matches {@code regex} move {@code factor}
     * times as far. Each rule must match at least one parameter, and no parameter two rules.
     *
     * @param regex a regular expression over full parameter names, matched entirely
     * @param factor the factor, finite and {@code > 0}
     * @return this builder
     */
    public Builder optScale(String regex, double factor) {
      rules.add(new ScaleRule(regex, factor));
      return this;
    }

    /** {@inheritDoc} */
    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Not supported: set it on the base optimizer.
     *
     * @param rescaleGrad ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Builder setRescaleGrad(float rescaleGrad) {
      throw onBase("setRescaleGrad");
    }

    /**
     * Not supported: set it on the base optimizer.
     *
     * @param weightDecays ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Builder optWeightDecays(float weightDecays) {
      throw onBase("optWeightDecays");
    }

    /**
     * Not supported: set it on the base optimizer.
     *
     * @param clipGrad ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Builder optClipGrad(float clipGrad) {
      throw onBase("optClipGrad");
    }

    /**
     * Not supported: set it on the base optimizer.
     *
     * @param beginNumUpdate ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Builder optBeginNumUpdate(int beginNumUpdate) {
      throw onBase("optBeginNumUpdate");
    }

    private static UnsupportedOperationException onBase(String option) {
      return new UnsupportedOperationException(
          option + " belongs to the base optimizer: set it on its builder, not on the wrapper");
    }

    /**
     * Builds the optimizer after validating every option.
     *
     * @return the optimizer
     * @throws IllegalArgumentException naming the bad value and the fix
     */
    public ScaledRateOptimizer build() {
      if (base == null) {
        throw new IllegalArgumentException(
            "the base optimizer is required: call setBase(Optimizers.adamW()...build())");
      }
      if (base instanceof WholeStepOptimizer) {
        throw new IllegalArgumentException(
            base.getClass().getSimpleName()
                + " is not linear in its learning rate and updates once per whole step, so its"
                + " update cannot be rescaled; schedule it with its builder's optSchedule(...)");
      }
      if (block == null) {
        throw new IllegalArgumentException(
            "the block is required: call setBlock(model.getBlock())");
      }
      if (schedule == null) {
        throw new IllegalArgumentException(
            "schedule is null; pass LearningRateSchedule.constant() for none");
      }
      List<String> names = new ArrayList<>(block.getParameters().keys());
      for (ScaleRule rule : rules) {
        if (names.stream().noneMatch(rule::matches)) {
          throw new IllegalArgumentException(
              "scale pattern \"" + rule.regex() + "\" matches no parameter; known parameters: "
                  + names);
        }
      }
      for (String name : names) {
        List<String> matching = new ArrayList<>();
        for (ScaleRule rule : rules) {
          if (rule.matches(name)) {
            matching.add(rule.regex());
          }
        }
        if (matching.size() > 1) {
          throw new IllegalArgumentException(
              "parameter \"" + name + "\" matches several scale patterns " + matching
                  + "; make the patterns disjoint");
        }
      }
      return new ScaledRateOptimizer(this);
    }
  }
}
