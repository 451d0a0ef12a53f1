package io.github.hidlr.djl.lora;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.github.hidlr.djl.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A fully connected layer with a frozen base weight and a trainable low-rank update (LoRA,
 * Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", arXiv:2106.09685):
 *
 * <pre>
 *   y = x W₀ᵀ + b + (α / r) · (x Aᵀ) Bᵀ
 * </pre>
 *
 * <p>for an input {@code x} of shape {@code (…, in)} and an output of shape {@code (…, out)}.
 * The parameters, by their names in {@link #getDirectParameters()} (and, prefixed with the
 * child path, in {@code getParameters()} of an enclosing block, e.g.
 * {@code 01LoRALinear_loraA}):
 *
 * <ul>
 *   <li>{@value #WEIGHT} {@code W₀}, shape {@code (out, in)}: frozen (no gradient, never updated
 *       by the optimizer). Built standalone it is initialised like DJL's {@link Linear}
 *       (Xavier); {@link LoRA#fromLinear} copies a trained weight into it.
 *   <li>{@value #BIAS} {@code b}, shape {@code (out)}, present unless {@code optBias(false)}:
 *       frozen unless {@code optTrainBias(true)}; zeros when built standalone.
 *   <li>{@value #LORA_A} {@code A}, shape {@code (r, in)}: trainable, drawn from
 *       {@code U(−1/√in, 1/√in)} through the engine's random generator (so
 *       {@code Engine.getInstance().setRandomSeed} makes it reproducible). This is PyTorch's
 *       {@code kaiming_uniform_(A, a=√5)}, the initialisation of the reference implementation
 *       ({@code loralib}, PEFT).
 *   <li>{@value #LORA_B} {@code B}, shape {@code (out, r)}: trainable, initialised to zeros,
 *       so at initialisation the block computes exactly its base layer {@code x W₀ᵀ + b}.
 * </ul>
 *
 * <p>{@code A} and {@code B} have {@code Parameter.Type.OTHER}, so a training configuration's
 * {@code optInitializer(…, Parameter.Type.WEIGHT)} cannot replace their initialisation.
 *
 * <p>Because {@code B = 0} at the start, the first gradient of {@code A},
 * {@code (α/r) Bᵀ (∂L/∂y)ᵀ x}, is zero: only {@code B} moves in the first step. LoRA+ (Hayou,
 * Ghosh and Yu 2024, "LoRA+: Efficient Low Rank Adaptation of Large Models",
 * arXiv:2402.12354) gives {@code B} a larger learning rate than {@code A}; the Hi-DLR tuner
 * chooses one learning rate per group, and {@link LoRA} reports the name patterns that select
 * the {@code A} and {@code B} groups.
 *
 * <p>The frozen parameters have {@code requiresGradient() == false}, so DJL's
 * {@code ParameterStore} never hands them to the optimizer and autograd computes no gradient for
 * them. They stay frozen: DJL's {@code PtModel.newTrainer} unfreezes every parameter of a model
 * loaded from a file, so the block freezes {@code W₀} (and {@code b} unless trained) again in
 * {@link #initialize} and at the start of every forward pass. Call {@code trainer.initialize}
 * after {@code newTrainer} on a loaded model (it keeps the loaded values) before selecting
 * trainable parameters. Freezing {@code A} or {@code B} is left to the caller. {@code α}
 * defaults to {@code r} (scale 1).
 *
 * <pre>{@code
 * LoRALinear layer = LoRALinear.builder().setUnits(64).setRank(8).optAlpha(16f).build();
 * }</pre>
 */
public final class LoRALinear extends AbstractBlock {

  /** Name of the frozen base weight {@code W₀}, shape {@code (out, in)}. */
  public static final String WEIGHT = "weight";
  /** Name of the base bias {@code b}, shape {@code (out)}. */
  public static final String BIAS = "bias";
  /** Name of the down-projection {@code A}, shape {@code (r, in)}. */
  public static final String LORA_A = "loraA";
  /** Name of the up-projection {@code B}, shape {@code (out, r)}, zero at initialisation. */
  public static final String LORA_B = "loraB";

  private static final byte VERSION = 1;

  /** {@code A ~ U(−1/√in, 1/√in)}, i.e. {@code kaiming_uniform_(a=√5)} with fan-in in. */
  private static final Initializer LORA_A_INIT =
      (manager, shape, dataType) -> {
        float bound = (float) (1.0 / Math.sqrt(shape.get(shape.dimension() - 1)));
        return manager.randomUniform(-bound, bound, shape, dataType);
      };

  private final long units;
  private final int rank;
  private final float alpha;
  private final float scale;
  private final boolean trainBias;
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter loraA;
  private final Parameter loraB;

  private LoRALinear(long units, int rank, float alpha, boolean hasBias, boolean trainBias) {
    super(VERSION);
    this.units = units;
    this.rank = rank;
    this.alpha = alpha;
    this.scale = alpha / rank;
    this.trainBias = trainBias;
    weight =
        addParameter(
            Parameter.builder()
                .setName(WEIGHT)
                .setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false)
                .build());
    bias =
        hasBias
            ? addParameter(
                Parameter.builder()
                    .setName(BIAS)
                    .setType(Parameter.Type.BIAS)
                    .optRequiresGrad(trainBias)
                    .build())
            : null;
    // Type OTHER, not WEIGHT: a training config's optInitializer(…, Type.WEIGHT) must not
    // overwrite the LoRA initialisation (B = 0 is what makes the block start at its base).
    loraA =
        addParameter(
            Parameter.builder()
                .setName(LORA_A)
                .setType(Parameter.Type.OTHER)
                .optInitializer(LORA_A_INIT)
                .build());
    loraB =
        addParameter(
            Parameter.builder()
                .setName(LORA_B)
                .setType(Parameter.Type.OTHER)
                .optInitializer(Initializer.ZEROS)
                .build());
  }

  /**
   * A builder; {@code setUnits} and {@code setRank} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The number of output features {@code out}.
   *
   * @return {@code out}
   */
  public long getUnits() {
    return units;
  }

  /**
   * The rank {@code r} of the update {@code B A}.
   *
   * @return {@code r}
   */
  public int getRank() {
    return rank;
  }

  /**
   * The LoRA {@code α}.
   *
   * @return {@code α}
   */
  public float getAlpha() {
    return alpha;
  }

  /**
   * The factor {@code α / r} in front of the low-rank term.
   *
   * @return {@code α / r}
   */
  public float getScale() {
    return scale;
  }

  /**
   * Whether the block has a bias {@code b}.
   *
   * @return true if it has one
   */
  public boolean hasBias() {
    return bias != null;
  }

  /**
   * Whether the bias is trained (it is frozen by default).
   *
   * @return true if {@code optTrainBias(true)} was set
   */
  public boolean isTrainBias() {
    return trainBias;
  }

  /** {@inheritDoc} */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    keepBaseFrozen();
    NDArray x = inputs.singletonOrThrow();
    Device device = x.getDevice();
    NDArray w = parameterStore.getValue(weight, device, training);
    NDArray b = parameterStore.getValue(bias, device, training);
    NDArray a = parameterStore.getValue(loraA, device, training);
    NDArray up = parameterStore.getValue(loraB, device, training);
    NDArray base = Linear.linear(x, w, b).singletonOrThrow();
    NDArray down = Linear.linear(x, a).singletonOrThrow(); // (…, r): scale the narrow side
    if (scale != 1f) {
      // Not down.mul(scale): DJL's Number scalar can be freed before backward reads it.
      down = down.mul(Tensors.constant(down, scale));
    }
    NDArray delta = Linear.linear(down, up).singletonOrThrow();
    return new NDList(base.add(delta));
  }

  /**
   * Initialises the parameters that hold no array yet (see {@code AbstractBaseBlock}), then
   * makes sure the base is frozen.
   *
   * @param manager where new arrays live
   * @param dataType the data type of new arrays
   * @param inputShapes one shape {@code (…, in)}
   */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    super.initialize(manager, dataType, inputShapes);
    keepBaseFrozen();
  }

  /**
   * Re-freezes {@code W₀} (and {@code b} unless it is trained) if something unfroze it. DJL's
   * {@code PtModel.newTrainer} calls {@code freezeParameters(false)} on every parameter of a
   * model that was loaded from a file, which would otherwise let the optimizer move the base.
   */
  private void keepBaseFrozen() {
    if (weight.requiresGradient()) {
      weight.freeze(true);
    }
    if (bias != null && !trainBias && bias.requiresGradient()) {
      bias.freeze(true);
    }
  }

  /** {@inheritDoc} */
  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape input = inputs[0];
    return new Shape[] {input.slice(0, input.dimension() - 1).add(units)};
  }

  /** {@inheritDoc} */
  @Override
  protected void beforeInitialize(Shape... inputShapes) {
    if (inputShapes.length != 1 || inputShapes[0].dimension() < 1) {
      throw new IllegalArgumentException(
          "LoRALinear takes one input of shape (…, in), got "
              + Arrays.toString(inputShapes)
              + ": pass a single input whose last axis is the feature axis");
    }
    super.beforeInitialize(inputShapes);
  }

  /** {@inheritDoc} */
  @Override
  protected void prepare(Shape[] inputShapes) {
    Shape input = inputShapes[0];
    long in = input.get(input.dimension() - 1);
    weight.setShape(new Shape(units, in));
    if (bias != null) {
      bias.setShape(new Shape(units));
    }
    loraA.setShape(new Shape(rank, in));
    loraB.setShape(new Shape(units, rank));
  }

  /** {@inheritDoc} */
  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    os.writeLong(units);
    os.writeInt(rank);
    os.writeFloat(alpha);
    os.writeBoolean(bias != null);
    saveInputShapes(os);
  }

  /**
   * Reads the metadata written by {@link #saveMetadata} and checks that the saved layer has this
   * block's configuration.
   *
   * @throws MalformedModelException if the version is unknown or units, rank, α or the presence
   *     of a bias differ from this block's
   */
  @Override
  protected void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION) {
      throw new MalformedModelException(
          "Cannot load LoRALinear parameters of version " + loadVersion + ", expected " + VERSION);
    }
    long savedUnits = is.readLong();
    int savedRank = is.readInt();
    float savedAlpha = is.readFloat();
    boolean savedBias = is.readBoolean();
    check(savedUnits == units, "units", savedUnits, units, "setUnits(" + savedUnits + ")");
    check(savedRank == rank, "rank", savedRank, rank, "setRank(" + savedRank + ")");
    check(
        Float.compare(savedAlpha, alpha) == 0,
        "alpha",
        savedAlpha,
        alpha,
        "optAlpha(" + savedAlpha + "f)");
    check(
        savedBias == (bias != null), "bias", savedBias, bias != null, "optBias(" + savedBias + ")");
    readInputShapes(is);
  }

  private static void check(boolean ok, String what, Object saved, Object built, String fix)
      throws MalformedModelException {
    if (!ok) {
      throw new MalformedModelException(
          "saved LoRALinear has "
              + what
              + " "
              + saved
              + " but this block was built with "
              + built
              + ": build it with "
              + fix);
    }
  }

  static void checkRank(int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException(
          "LoRA rank " + rank + " is not positive: use setRank(r) with r ≥ 1");
    }
  }

  static void checkAlpha(float alpha) {
    if (!(alpha > 0f) || Float.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "LoRA alpha "
              + alpha
              + " is not a positive finite number: use optAlpha(α) with 0 < α < ∞"
              + " (the default α = r gives scale 1)");
    }
  }

  /**
   * Builds a {@link LoRALinear}: {@link #setUnits} and {@link #setRank} are required; {@code α}
   * defaults to {@code r}, the bias is present and frozen by default.
   */
  public static final class Builder {

    private long units;
    private int rank;
    private Float alpha; // null: α = r
    private boolean bias = true;
    private boolean trainBias;

    private Builder() {}

    /**
     * Sets the number of output features {@code out} (required, at least 1).
     *
     * @param units {@code out}
     * @return this builder
     */
    public Builder setUnits(long units) {
      this.units = units;
      return this;
    }

    /**
     * Sets the rank {@code r} of the update (required, at least 1).
     *
     * @param rank {@code r}
     * @return this builder
     */
    public Builder setRank(int rank) {
      this.rank = rank;
      return this;
    }

    /**
     * Sets {@code α} (default {@code r}, i.e. scale {@code α/r = 1}); must be positive and
     * finite.
     *
     * @param alpha {@code α}
     * @return this builder
     */
    public Builder optAlpha(float alpha) {
      this.alpha = alpha;
      return this;
    }

    /**
     * Sets whether the layer has a bias {@code b} (default true).
     *
     * @param bias true for a bias
     * @return this builder
     */
    public Builder optBias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /**
     * Sets whether the bias is trained (default false: the bias is frozen with {@code W₀}).
     *
     * @param trainBias true to train the bias
     * @return this builder
     */
    public Builder optTrainBias(boolean trainBias) {
      this.trainBias = trainBias;
      return this;
    }

    /**
     * Validates the settings and builds the block.
     *
     * @return the block, not yet initialised
     * @throws IllegalArgumentException if units or rank is below 1, {@code α} is not positive
     *     and finite, or the bias is to be trained but there is none
     */
    public LoRALinear build() {
      if (units < 1) {
        throw new IllegalArgumentException(
            "LoRALinear units " + units + " is not positive: use setUnits(out) with out ≥ 1");
      }
      checkRank(rank);
      float resolvedAlpha = alpha == null ? rank : alpha;
      checkAlpha(resolvedAlpha);
      if (trainBias && !bias) {
        throw new IllegalArgumentException(
            "optTrainBias(true) with optBias(false): there is no bias to train; drop"
                + " optTrainBias(true) or use optBias(true)");
      }
      return new LoRALinear(units, rank, resolvedAlpha, bias, trainBias);
    }
  }
}
