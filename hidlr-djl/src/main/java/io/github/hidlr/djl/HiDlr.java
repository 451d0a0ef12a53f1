package io.github.hidlr.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Optimizer.OptimizerBuilder;
import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The entry point to Hi-DLR on DJL: builds a {@link HiDlrOptimizer}, a DJL {@link Optimizer}
 * that {@code trainer.step()} and {@code EasyTrain.fit} use unchanged.
 *
 * <pre>{@code
 * Loss loss = Loss.softmaxCrossEntropyLoss();
 * Optimizer hidlr = HiDlr.adam(1e-3f).groups(groups).probes(trainSet).build(model, loss);
 * Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(hidlr));
 * }</pre>
 *
 * <p>The initial rate {@code η0} is the base optimizer's learning rate; the tuning policy is
 * {@link TunerConfig#hiDlr()} unless {@link Builder#tuner} says otherwise, with the cooldown
 * over the last fifth of the run when {@link Builder#budget} gives its length; the probe batch is
 * the next batch of its own pass over {@link Builder#probes(Dataset)} (usually the training
 * set, as the reference implementation's {@code tr_iter}), or a fixed batch.
 *
 * <p>Hand-set rates go through the same optimizer, without probing:
 * {@link Builder#fixedRates} (LoRA+: {@code HiDlr.adamW(ηA).groups(loraGroups)
 * .fixedRates(Map.of("B", 16.0 * ηA))}; a manual DLR) and, for a schedule, {@code
 * tuner(() -> TunerConfig.fixed().optHorizon(Horizon.COSINE, steps))}.
 */
public final class HiDlr {

  private HiDlr() {}

  /**
   * Hi-DLR over Adam (PyTorch's defaults) at {@code η0 = rate}.
   *
   * @param rate {@code η0}
   * @return a builder
   */
  public static Builder adam(float rate) {
    return on(Optimizers.adam().setLearningRate(rate).build());
  }

  /**
   * Hi-DLR over AdamW (decoupled weight decay 0.01) at {@code η0 = rate}.
   *
   * @param rate {@code η0}
   * @return a builder
   */
  public static Builder adamW(float rate) {
    return on(Optimizers.adamW().setLearningRate(rate).build());
  }

  /**
   * Hi-DLR over plain SGD at {@code η0 = rate}.
   *
   * @param rate {@code η0}
   * @return a builder
   */
  public static Builder sgd(float rate) {
    return on(Optimizers.sgd().setLearningRate(rate).build());
  }

  /**
   * Hi-DLR over any of hidlr's optimizers ({@link Optimizers}: SGD with momentum, RMSProp,
   * Adagrad, Adam, AdamW), whose learning rate becomes {@code η0}.
   *
   * @param base the base optimizer
   * @return a builder
   */
  public static Builder on(NdOptimizer base) {
    return new Builder(Objects.requireNonNull(base, "base optimizer"), base.learningRate());
  }

  /**
   * Hi-DLR over another DJL optimizer whose update is linear in a fixed learning rate
   * {@code rate} (DJL's {@code Optimizer.sgd()} without momentum, {@code adam()},
   * {@code adamW()} with a fixed tracker): each step's update is differenced at that rate and
   * rescaled per group, at the cost of one copy of the trainable parameters. Its state cannot
   * be checkpointed; hidlr's own optimizers ({@link #on(NdOptimizer)}) hand over their
   * direction and can (one of them passed here is still captured by its direction, with
   * {@code rate} as {@code η0}).
   *
   * @param base the base optimizer
   * @param rate its fixed learning rate, which becomes {@code η0}
   * @return a builder
   */
  public static Builder on(Optimizer base, float rate) {
    Objects.requireNonNull(base, "base optimizer");
    if (base instanceof HiDlrOptimizer) {
      throw new IllegalArgumentException("the base optimizer is already Hi-DLR's: pass the"
          + " optimizer it wraps");
    }
    if (!(rate > 0) || Float.isInfinite(rate)) {
      throw new IllegalArgumentException("rate " + rate + " must be finite and > 0: pass the"
          + " fixed learning rate the base optimizer was built with");
    }
    return new Builder(base, rate);
  }

  /**
   * Where the probe batches come from: a dataset's batches in turn, one fixed batch, or (both
   * null) the batch the loop gives each step with {@link HiDlrOptimizer#probeOn}.
   */
  record ProbeSource(Dataset dataset, NDList[] fixed) {}

  /** Options of a {@link HiDlrOptimizer}; every one is checked by {@link #build}. */
  public static final class Builder {
    private final Optimizer base;
    private final float rate;
    private ParameterGroups groups = ParameterGroups.single("all");
    private Supplier<TunerConfig.Builder> tuner = TunerConfig::hiDlr;
    private TunerConfig exact;
    private Integer probeEvery;
    private long budget;
    private ProbeSource probes;
    private Consumer<StepOutcome> onStep = outcome -> { };

    private Builder(Optimizer base, float rate) {
      this.base = base;
      this.rate = rate;
    }

    /**
     * The parameter groups, one learning rate each (default: one group of everything, GeN).
     *
     * @param value the groups; every trainable parameter must be in one
     * @return this builder
     */
    public Builder groups(ParameterGroups value) {
      this.groups = Objects.requireNonNull(value, "groups");
      return this;
    }

    /**
     * The tuning policy (default {@link TunerConfig#hiDlr()}); its initial rate is replaced by
     * the base optimizer's learning rate.
     *
     * @param preset e.g. {@code TunerConfig::paper} or
     *     {@code () -> TunerConfig.hiDlr().optHorizon(Horizon.COSINE, steps)}
     * @return this builder
     */
    public Builder tuner(Supplier<TunerConfig.Builder> preset) {
      this.tuner = Objects.requireNonNull(preset, "tuner preset");
      return this;
    }

    /**
     * The tuning policy exactly as configured, its initial rates included (instead of the base
     * optimizer's rate): for callers that configure everything, such as a study of policies.
     * The direction of hidlr's optimizers does not depend on their rate, so the base optimizer's
     * own rate then plays no part. Not combined with {@link #probeEvery} or {@link #budget}:
     * set them in the configuration.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder tuner(TunerConfig config) {
      this.exact = Objects.requireNonNull(config, "tuner configuration");
      return this;
    }

    /**
     * Fixed rates per group, never probed (no probe source needed, no forward pass spent):
     * {@link TunerConfig#fixed()} with these initial rates. A group not named runs at the base
     * optimizer's rate. LoRA+ is {@code fixedRates(Map.of("B", 16.0 * ηA))} over groups
     * {@code A}, {@code B} and {@code head} at the base rate {@code ηA}.
     *
     * @param rates the rate of each named group; every name must be a group
     * @return this builder
     */
    public Builder fixedRates(Map<String, Double> rates) {
      Map<String, Double> copy = new LinkedHashMap<>(Objects.requireNonNull(rates, "rates"));
      this.tuner = () -> {
        TunerConfig.Builder builder = TunerConfig.fixed();
        copy.forEach(builder::optInitialRate);
        return builder;
      };
      return this;
    }

    /**
     * Probe every {@code Φ} steps (default: the policy's).
     *
     * @param steps {@code Φ ≥ 1}
     * @return this builder
     */
    public Builder probeEvery(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("probe every Φ = " + steps + " steps: Φ must be ≥ 1");
      }
      this.probeEvery = steps;
      return this;
    }

    /**
     * The run's length in steps ({@code trainer.step()} calls), when it is known: the rates then
     * cool down linearly to 0 over its last fifth ({@link Horizon#COOLDOWN}), as the default
     * policy does in every experiment. For {@code EasyTrain.fit}, epochs × batches per epoch.
     *
     * @param steps {@code T ≥ 1}
     * @return this builder
     */
    public Builder budget(long steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("budget T = " + steps + " steps: T must be ≥ 1");
      }
      this.budget = steps;
      return this;
    }

    /**
     * Called at the end of every step, inside {@code trainer.step()}, with what the step did
     * (rates per group; on probing steps the fits, candidates and acceptance): for logging or a
     * rate plot.
     *
     * @param listener the callback
     * @return this builder
     */
    public Builder onStep(Consumer<StepOutcome> listener) {
      this.onStep = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Probe on the batches of {@code dataset}, one per probe, in the order of the dataset's
     * own sampler, starting over at its end: usually the training set.
     *
     * @param dataset the probe dataset
     * @return this builder
     */
    public Builder probes(Dataset dataset) {
      this.probes = new ProbeSource(Objects.requireNonNull(dataset, "probe dataset"), null);
      return this;
    }

    /**
     * Probe on one fixed batch.
     *
     * @param data the inputs, kept open by the caller while training
     * @param labels the labels
     * @return this builder
     */
    public Builder probes(NDList data, NDList labels) {
      Objects.requireNonNull(data, "probe data");
      Objects.requireNonNull(labels, "probe labels");
      if (data.isEmpty() || data.head().getShape().size() == 0) {
        throw new IllegalArgumentException("the probe batch is empty: Hi-DLR needs at least one"
            + " example to measure the loss on");
      }
      this.probes = new ProbeSource(null, new NDList[] {data, labels});
      return this;
    }

    /**
     * Probe on the batch the training loop gives before each step with
     * {@link HiDlrOptimizer#probeOn} ({@code hidlr.probeOn(x, y); trainer.step();}); a step
     * that probes without one is refused.
     *
     * @return this builder
     */
    public Builder probesPerStep() {
      this.probes = new ProbeSource(null, null);
      return this;
    }

    /**
     * The optimizer for {@code model}'s trainer.
     *
     * @param model the model whose block is set (it may be initialised later, by the trainer)
     * @param loss the loss the trainer uses, for the probes
     * @return the optimizer, for {@code DefaultTrainingConfig.optOptimizer}
     * @throws IllegalStateException if no probe source was given for a policy that probes
     */
    public HiDlrOptimizer build(Model model, Loss loss) {
      if (probes == null && !config().neverProbes()) {
        throw new IllegalStateException("no probe source: call probes(trainSet) (or probes(data,"
            + " labels) for a fixed batch, or probesPerStep() for a loop that calls probeOn)"
            + " before build");
      }
      return new HiDlrOptimizer(this, model, loss);
    }

    Optimizer base() {
      return base;
    }

    float rate() {
      return rate;
    }

    ParameterGroups groups() {
      return groups;
    }

    ProbeSource probes() {
      return probes;
    }

    Consumer<StepOutcome> onStep() {
      return onStep;
    }

    TunerConfig config() {
      if (exact != null) {
        if (probeEvery != null || budget > 0) {
          throw new IllegalStateException("probeEvery and budget do not combine with an exact"
              + " tuner configuration: set optProbeEvery and optHorizon in the configuration");
        }
        return exact;
      }
      TunerConfig.Builder builder = tuner.get().setInitialRate(rate);
      if (probeEvery != null) {
        builder.optProbeEvery(probeEvery);
      }
      if (budget > 0) {
        builder.optHorizon(Horizon.COOLDOWN, budget);
      }
      return builder.build();
    }

    OptimizerBuilder<?> optimizerBuilder() {
      return new Plain();
    }
  }

  /** DJL's optimizer constructor needs a builder; Hi-DLR uses none of its options. */
  private static final class Plain extends OptimizerBuilder<Plain> {
    @Override
    protected Plain self() {
      return this;
    }
  }
}
