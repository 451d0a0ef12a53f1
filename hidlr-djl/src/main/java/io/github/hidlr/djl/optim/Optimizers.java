package io.github.hidlr.djl.optim;

/**
 * Entry points to the optimizers of this package, in DJL's style ({@code
 * Optimizers.adam().setLearningRate(1e-3f).build()}).
 *
 * <p>All of them are {@link NdOptimizer}s: their update is {@code w ← w − η·d} with the direction
 * {@code d} independent of the learning rate {@code η}, which Hi-DLR needs, and their state can be
 * checkpointed with {@link NdOptimizer#saveState} / {@link NdOptimizer#loadState}.
 */
public final class Optimizers {

  private Optimizers() {}

  /**
   * SGD with optional PyTorch-style momentum, Nesterov and L2 weight decay.
   *
   * @return a new {@link Sgd} builder
   */
  public static Sgd.Builder sgd() {
    return Sgd.builder();
  }

  /**
   * RMSProp as in PyTorch (α = 0.99, ε = 1e-8).
   *
   * @return a new {@link RmsProp} builder
   */
  public static RmsProp.Builder rmsProp() {
    return RmsProp.builder();
  }

  /**
   * Adagrad as in PyTorch (ε = 1e-10).
   *
   * @return a new {@link Adagrad} builder
   */
  public static Adagrad.Builder adagrad() {
    return Adagrad.builder();
  }

  /**
   * Adam as in PyTorch (β = (0.9, 0.999), ε = 1e-8), with L2 weight decay.
   *
   * @return a new {@link Adam} builder
   */
  public static Adam.Builder adam() {
    return Adam.builder();
  }

  /**
   * AdamW as in PyTorch: Adam with decoupled weight decay, λ = 0.01 unless set.
   *
   * @return a new {@link Adam} builder with {@link Adam.Builder#optDecoupled(boolean)} set
   */
  public static Adam.Builder adamW() {
    return Adam.builder().optDecoupled(true);
  }
}
