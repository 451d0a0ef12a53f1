package io.github.hidlr.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import ai.djl.util.Progress;
import io.github.hidlr.core.tuner.TunerConfig;
import io.github.hidlr.djl.group.GroupSpec;
import io.github.hidlr.djl.group.ParameterGroups;
import io.github.hidlr.djl.optim.NdOptimizer;
import io.github.hidlr.djl.optim.Optimizers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HiDlrOptimizerTest {

  private static final int N = 256;
  private static final int FEATURES = ThreeClasses.FEATURES;
  private static final int CLASSES = ThreeClasses.CLASSES;
  private static final Loss LOSS = Loss.softmaxCrossEntropyLoss();

  private static Model mlp() {
    Engine.getInstance().setRandomSeed(11);
    Model model = Model.newInstance("mlp");
    model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(16).build())
        .add(Activation::relu).add(Linear.builder().setUnits(CLASSES).build()));
    return model;
  }

  private static ParameterGroups hiddenAndHead() {
    return ParameterGroups.builder()
        .add(GroupSpec.pattern("hidden", "01Linear_.*"))
        .add(GroupSpec.pattern("head", "03Linear_.*")).build();
  }

  private static NDArray[] data(NDManager manager, long seed) {
    return ThreeClasses.data(manager, N, seed);
  }

  private static ArrayDataset dataset(NDManager manager, long seed) {
    NDArray[] xy = data(manager, seed);
    return new ArrayDataset.Builder().setData(xy[0]).optLabels(xy[1]).setSampling(32, true)
        .build();
  }

  private static NDList[] batch(Model model) {
    NDArray[] xy = data(model.getNDManager(), 1);
    return new NDList[] {new NDList(xy[0]), new NDList(xy[1])};
  }

  /** A trainer of {@code model} with this optimizer, initialised. */
  private static Trainer trainer(Model model, Optimizer optimizer) {
    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(LOSS).optOptimizer(optimizer));
    trainer.initialize(new Shape(1, FEATURES));
    return trainer;
  }

  private static double accuracy(Trainer trainer, NDArray[] test) {
    NDArray prediction = trainer.evaluate(new NDList(test[0])).singletonOrThrow();
    return prediction.argMax(1).toType(test[1].getDataType(), false).eq(test[1])
        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
  }

  private static Map<String, float[]> weights(Model model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  @Test
  void easyTrainFitTrainsWithHiDlrAndBeatsTheBaseOptimizerAtItsInitialRate()
      throws IOException, TranslateException {
    double tuned;
    List<double[]> rates = new ArrayList<>();
    try (Model model = mlp()) {
      ArrayDataset train = dataset(model.getNDManager(), 1);
      List<StepOutcome> steps = new ArrayList<>();
      HiDlrOptimizer hidlr = HiDlr.sgd(0.01f).groups(hiddenAndHead()).probeEvery(2)
          .onStep(steps::add).probes(train).build(model, LOSS);
      try (Trainer trainer = trainer(model, hidlr)) {
        for (int epoch = 0; epoch < 6; epoch++) {
          EasyTrain.fit(trainer, 1, train, null);
          rates.add(hidlr.lastStep().orElseThrow().rates());
        }
        tuned = accuracy(trainer, data(model.getNDManager(), 2));
        assertThat(hidlr.groupNames()).containsExactly("hidden", "head");
        assertThat(hidlr.tuner().orElseThrow().state().step()).isEqualTo(6 * N / 32);
        // Every step reached the callback; every second one probed (Φ = 2).
        assertThat(steps).hasSize(6 * N / 32);
        assertThat(steps.stream().filter(s -> s.report().isPresent())).hasSize(6 * N / 64);
      }
    }
    double plain;
    try (Model model = mlp()) {
      ArrayDataset train = dataset(model.getNDManager(), 1);
      Optimizer sgd = Optimizers.sgd().setLearningRate(0.01f).build();
      try (Trainer trainer = trainer(model, sgd)) {
        EasyTrain.fit(trainer, 6, train, null);
        plain = accuracy(trainer, data(model.getNDManager(), 2));
      }
    }
    // The rates moved away from η0 = 0.01 and differ per group; training at them beats SGD at η0.
    double[] lastRates = rates.get(rates.size() - 1);
    assertThat(lastRates[0]).isNotEqualTo(0.01);
    assertThat(lastRates[0]).isNotEqualTo(lastRates[1]);
    assertThat(tuned).isGreaterThan(plain + 0.05);
  }

  @Test
  void parametersOutsideEveryGroupAreFrozenWhenTheGroupsSaySo()
      throws IOException, TranslateException {
    try (Model model = mlp()) {
      ArrayDataset train = dataset(model.getNDManager(), 1);
      ParameterGroups headOnly = ParameterGroups.builder()
          .add(GroupSpec.pattern("head", "03Linear_.*"))
          .optRest(ParameterGroups.Rest.FREEZE).build();
      HiDlrOptimizer hidlr = HiDlr.sgd(0.05f).groups(headOnly).probes(train).build(model, LOSS);
      try (Trainer trainer = trainer(model, hidlr)) {
        Map<String, float[]> before = weights(model);
        EasyTrain.fit(trainer, 1, train, null);
        Map<String, float[]> after = weights(model);
        assertThat(after.get("01Linear_weight")).containsExactly(before.get("01Linear_weight"));
        assertThat(after.get("03Linear_weight")).isNotEqualTo(before.get("03Linear_weight"));
        assertThat(hidlr.groupNames()).containsExactly("head");
      }
    }
  }

  @Test
  void anOptimizerSharedByTwoModelsIsRefusedAndNothingChanges()
      throws IOException, TranslateException {
    try (Model first = mlp(); Model second = mlp()) {
      ArrayDataset train = dataset(first.getNDManager(), 1);
      HiDlrOptimizer hidlr = HiDlr.sgd(0.05f).groups(hiddenAndHead()).probes(train)
          .build(first, LOSS);
      try (Trainer a = first.newTrainer(new DefaultTrainingConfig(LOSS).optOptimizer(hidlr));
          Trainer b = second.newTrainer(new DefaultTrainingConfig(LOSS).optOptimizer(hidlr))) {
        a.initialize(new Shape(1, FEATURES));
        b.initialize(new Shape(1, FEATURES));
        EasyTrain.fit(a, 1, train, null);
        Map<String, float[]> before = weights(second);
        assertThatThrownBy(() -> EasyTrain.fit(b, 1, train, null))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("one Hi-DLR optimizer per model");
        assertUnchanged(before, weights(second));
      }
    }
  }

  /**
   * A grouped parameter that got no gradient (it missed the forward pass: the others are updated
   * by hand here) is named when the next step starts, and the step that never completed changed
   * nothing, the base optimizer's moments included: the base runs only once every parameter of
   * the step has arrived.
   */
  @Test
  void aGroupedParameterWithoutGradientIsNamedAndItsStepChangedNothing() throws IOException {
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      HiDlrOptimizer hidlr = HiDlr.adam(1e-3f).groups(hiddenAndHead()).fixedRates(Map.of())
          .build(model, LOSS);
      NdOptimizer adam = (NdOptimizer) hidlr.base();
      try (Trainer trainer = trainer(model, hidlr)) {
        backward(trainer, batch[0], batch[1]);
        trainer.step();
        byte[] moments = state(adam, model);
        Map<String, float[]> before = weights(model);
        backward(trainer, batch[0], batch[1]);
        Parameter headBias = model.getBlock().getParameters().get("03Linear_bias");
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
          if (p.getValue() != headBias) {
            NDArray w = p.getValue().getArray();
            hidlr.update(p.getValue().getId(), w, w.getGradient());
          }
        }
        Parameter first = model.getBlock().getParameters().valueAt(0);
        NDArray w = first.getArray();
        assertThatThrownBy(() -> hidlr.update(first.getId(), w, w.getGradient()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("03Linear_bias").hasMessageContaining("no update");
        assertUnchanged(before, weights(model));
        assertThat(Arrays.equals(state(adam, model), moments))
            .as("Adam's saved state is as before the step").isTrue();
        // Nothing half done: the next step trains.
        backward(trainer, batch[0], batch[1]);
        trainer.step();
        assertThat(Arrays.equals(state(adam, model), moments)).isFalse();
      }
    }
  }

  /** A probing step without a probe batch is refused before the base optimizer runs. */
  @Test
  void aProbingStepWithoutAProbeBatchChangesNothingTheBaseOptimizersMomentsIncluded()
      throws IOException {
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      HiDlrOptimizer hidlr =
          HiDlr.adam(1e-3f).groups(hiddenAndHead()).probesPerStep().build(model, LOSS);
      NdOptimizer adam = (NdOptimizer) hidlr.base();
      try (Trainer trainer = trainer(model, hidlr)) {
        byte[] fresh = state(adam, model);
        Map<String, float[]> before = weights(model);
        backward(trainer, batch[0], batch[1]);
        assertThatThrownBy(trainer::step).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("probeOn");
        assertUnchanged(before, weights(model));
        assertThat(Arrays.equals(state(adam, model), fresh))
            .as("Adam's saved state is as before the step").isTrue();
        backward(trainer, batch[0], batch[1]);
        hidlr.probeOn(batch[0], batch[1]);
        trainer.step();
        assertThat(hidlr.lastStep().orElseThrow().report()).isPresent();
      }
    }
  }

  /** A probe dataset that cannot be prepared the first time: the optimizer starts again. */
  @Test
  void aProbeDatasetThatFailsToPrepareLeavesTheOptimizerUnstartedAndTheNextStepTrains() {
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      ArrayDataset train = dataset(model.getNDManager(), 1);
      WatchedDataset flaky = new WatchedDataset(train, 1);
      HiDlrOptimizer hidlr = HiDlr.adam(1e-3f).groups(hiddenAndHead()).probes(flaky)
          .build(model, LOSS);
      try (Trainer trainer = trainer(model, hidlr)) {
        Map<String, float[]> before = weights(model);
        backward(trainer, batch[0], batch[1]);
        assertThatThrownBy(trainer::step).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("disk not mounted").hasMessageContaining("probe dataset");
        assertUnchanged(before, weights(model));
        assertThat(hidlr.lastStep()).isEmpty();
        backward(trainer, batch[0], batch[1]);
        trainer.step();
        assertThat(hidlr.lastStep().orElseThrow().report()).isPresent();
        assertThat(flaky.prepared).isEqualTo(2);
      }
    }
  }

  /**
   * A parameter unfrozen after the groups were resolved is in no group: the step is refused
   * before the base optimizer runs, naming the parameter; likewise for one the groups froze.
   */
  @Test
  void aParameterUnfrozenAfterTheGroupsWereResolvedIsNamedAndNothingChanges()
      throws IOException {
    ParameterGroups headOnly = ParameterGroups.builder()
        .add(GroupSpec.pattern("head", "03Linear_.*"))
        .optRest(ParameterGroups.Rest.FREEZE).build();
    for (String unfrozen : List.of("01Linear_bias", "01Linear_weight")) {
      try (Model model = mlp()) {
        NDList[] batch = batch(model);
        boolean byHand = unfrozen.equals("01Linear_bias");
        HiDlrOptimizer hidlr = HiDlr.adam(1e-3f).groups(byHand ? hiddenAndHead() : headOnly)
            .fixedRates(Map.of()).build(model, LOSS);
        NdOptimizer adam = (NdOptimizer) hidlr.base();
        try (Trainer trainer = trainer(model, hidlr)) {
          Parameter parameter = model.getBlock().getParameters().get(unfrozen);
          if (byHand) {
            parameter.freeze(true);
          }
          backward(trainer, batch[0], batch[1]);
          trainer.step();
          parameter.freeze(false);
          byte[] moments = state(adam, model);
          Map<String, float[]> before = weights(model);
          backward(trainer, batch[0], batch[1]);
          assertThatThrownBy(trainer::step).as(unfrozen)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("\"" + unfrozen + "\"").hasMessageContaining("no group");
          assertUnchanged(before, weights(model));
          assertThat(Arrays.equals(state(adam, model), moments))
              .as("Adam's saved state is as before the step").isTrue();
        }
      }
    }
  }

  /**
   * A step that fails while probing (here the probe's loss throws) leaves the base optimizer's
   * moments as they were and keeps its probe batch for the retry, which then does exactly what
   * the step of a twin run that never failed does.
   */
  @Test
  void aStepThatFailsWhileProbingChangesNothingAndItsRetryEqualsATwinsStep() throws IOException {
    Map<String, float[]> twin;
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      HiDlrOptimizer hidlr = HiDlr.adam(1e-3f).groups(hiddenAndHead())
          .probes(new WatchedDataset(dataset(model.getNDManager(), 1), 0)).build(model, LOSS);
      try (Trainer trainer = trainer(model, hidlr)) {
        backward(trainer, batch[0], batch[1]);
        trainer.step();
        twin = weights(model);
      }
    }
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      WatchedDataset counting = new WatchedDataset(dataset(model.getNDManager(), 1), 0);
      boolean[] fail = {true};
      Loss probeLoss = new Loss("failing once") {
        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
          if (fail[0]) {
            fail[0] = false;
            throw new IllegalStateException("probe failed");
          }
          return LOSS.evaluate(labels, predictions);
        }
      };
      HiDlrOptimizer hidlr = HiDlr.adam(1e-3f).groups(hiddenAndHead()).probes(counting)
          .build(model, probeLoss);
      NdOptimizer adam = (NdOptimizer) hidlr.base();
      try (Trainer trainer = trainer(model, hidlr)) {
        byte[] fresh = state(adam, model);
        backward(trainer, batch[0], batch[1]);
        assertThatThrownBy(trainer::step).hasMessageContaining("probe failed");
        assertThat(counting.drawn).isEqualTo(1);
        assertThat(Arrays.equals(state(adam, model), fresh))
            .as("Adam's saved state is as before the step").isTrue();
        backward(trainer, batch[0], batch[1]);
        trainer.step();
        assertThat(hidlr.lastStep().orElseThrow().report()).isPresent();
        assertThat(counting.drawn).as("the retry probes on the batch the failed step drew")
            .isEqualTo(1);
        assertUnchanged(twin, weights(model));
      }
    }
  }

  /** A dataset as probe source that counts the batches drawn and fails to prepare at first. */
  private static final class WatchedDataset implements Dataset {
    private final ArrayDataset inner;
    private final int failures;
    int prepared;
    int drawn;

    WatchedDataset(ArrayDataset inner, int failures) {
      this.inner = inner;
      this.failures = failures;
    }

    @Override
    public Iterable<Batch> getData(NDManager manager) throws IOException, TranslateException {
      Iterable<Batch> batches = inner.getData(manager);
      return () -> {
        Iterator<Batch> it = batches.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Batch next() {
            drawn++;
            return it.next();
          }
        };
      };
    }

    @Override
    public void prepare(Progress progress) throws IOException {
      if (prepared++ < failures) {
        throw new IOException("disk not mounted");
      }
    }
  }

  private static byte[] state(NdOptimizer optimizer, Model model) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    optimizer.saveState(model.getBlock(), new java.io.DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  @Test
  void aKnownBudgetCoolsTheRatesDownOverItsLastFifth() {
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      NDList x = batch[0];
      NDList y = batch[1];
      HiDlrOptimizer hidlr = HiDlr.sgd(0.05f).groups(hiddenAndHead()).budget(10).probes(x, y)
          .build(model, LOSS);
      try (Trainer trainer = trainer(model, hidlr)) {
        for (int t = 0; t < 10; t++) {
          backward(trainer, x, y);
          trainer.step();
          double[] estimates = hidlr.tuner().orElseThrow().estimates();
          double scale = Math.min(1, (1 - t / 10.0) / 0.2);
          double[] rates = hidlr.lastStep().orElseThrow().rates();
          for (int k = 0; k < rates.length; k++) {
            assertThat(rates[k]).as("step %d group %d", t, k)
                .isCloseTo(scale * estimates[k], org.assertj.core.api.Assertions.within(1e-12));
          }
        }
      }
    }
    assertThatThrownBy(() -> HiDlr.adam(1e-3f).budget(0)).hasMessageContaining("T must be ≥ 1");
  }

  @Test
  void buildingWithoutAProbeSourceOrWithAnEmptyBatchIsRefused() {
    try (Model model = mlp()) {
      assertThatThrownBy(() -> HiDlr.adam(1e-3f).build(model, LOSS))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("probes(trainSet)");
      NDManager manager = model.getNDManager();
      assertThatThrownBy(() -> HiDlr.adam(1e-3f).probes(
          new NDList(manager.zeros(new Shape(0, FEATURES))), new NDList(manager.zeros(
              new Shape(0)))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
      assertThatThrownBy(() -> HiDlr.adam(1e-3f).probeEvery(0))
          .hasMessageContaining("Φ must be ≥ 1");
    }
  }

  /**
   * Hand-set rates (LoRA+, a manual DLR, a schedule) run through the same optimizer as fixed
   * rates: each group moves by its own rate times SGD's direction, no probe source is needed and
   * no step probes.
   */
  @Test
  void fixedRatesMoveEachGroupByItsOwnRateAndNeverProbe() {
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      HiDlrOptimizer fixed = HiDlr.sgd(0.1f).groups(hiddenAndHead())
          .fixedRates(Map.of("head", 1.6)).build(model, LOSS);
      try (Trainer trainer = trainer(model, fixed)) {
        for (int t = 0; t < 3; t++) {
          backward(trainer, batch[0], batch[1]);
          Map<String, float[]> before = weights(model);
          Map<String, float[]> gradients = new LinkedHashMap<>();
          for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            gradients.put(p.getKey(), p.getValue().getArray().getGradient().toFloatArray());
          }
          trainer.step();
          assertThat(fixed.lastStep().orElseThrow().report()).as("probe at step %d", t).isEmpty();
          assertThat(fixed.lastStep().orElseThrow().rates()).containsExactly((double) 0.1f, 1.6);
          Map<String, float[]> after = weights(model);
          for (String name : before.keySet()) {
            float rate = name.startsWith("03Linear") ? 1.6f : 0.1f;
            float[] w0 = before.get(name);
            float[] g = gradients.get(name);
            float[] w = after.get(name);
            for (int i = 0; i < w.length; i++) {
              assertThat(w[i]).as("step %d, %s[%d]", t, name, i).isEqualTo(w0[i] - rate * g[i]);
            }
          }
        }
      }
      // A schedule is a fixed rate with a horizon: η·s(t), here cosine over 4 steps.
      HiDlrOptimizer cosine = HiDlr.sgd(0.1f).tuner(() -> TunerConfig.fixed()
          .optHorizon(io.github.hidlr.core.tuner.Horizon.COSINE, 4)).build(model, LOSS);
      try (Trainer trainer = trainer(model, cosine)) {
        for (int t = 0; t < 4; t++) {
          backward(trainer, batch[0], batch[1]);
          trainer.step();
          assertThat(cosine.lastStep().orElseThrow().rates()[0]).as("step %d", t).isCloseTo(
              0.1f * io.github.hidlr.core.tuner.Horizon.COSINE.scale(t, 4),
              org.assertj.core.api.Assertions.within(1e-9));
          assertThat(cosine.lastStep().orElseThrow().report()).isEmpty();
        }
      }
    }
    assertThatThrownBy(() -> {
      try (Model model = mlp()) {
        HiDlrOptimizer wrong = HiDlr.sgd(0.1f).groups(hiddenAndHead())
            .fixedRates(Map.of("tail", 1.0)).build(model, LOSS);
        try (Trainer trainer = trainer(model, wrong)) {
          NDList[] batch = batch(model);
          backward(trainer, batch[0], batch[1]);
          trainer.step();
        }
      }
    }).hasMessageContaining("tail");
  }

  @Test
  void aRefusedNonFiniteStepChangesNothingAndTheNextStepTrains() {
    try (Model model = mlp()) {
      NDList[] batch = batch(model);
      HiDlrOptimizer hidlr =
          HiDlr.sgd(0.05f).groups(hiddenAndHead()).probesPerStep().build(model, LOSS);
      try (Trainer trainer = trainer(model, hidlr)) {
        NDArray poisoned = batch[0].head().duplicate();
        poisoned.set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
        backward(trainer, new NDList(poisoned), batch[1]);
        Map<String, float[]> before = weights(model);
        hidlr.probeOn(batch[0], batch[1]);
        assertThatThrownBy(trainer::step).isInstanceOf(NonFiniteUpdateException.class)
            .hasMessageContaining("not finite");
        assertUnchanged(before, weights(model));
        // The refused step left nothing half done: the next one trains, probing on the batch
        // given for it.
        backward(trainer, batch[0], batch[1]);
        hidlr.probeOn(batch[0], batch[1]);
        trainer.step();
        assertThat(hidlr.lastStep().orElseThrow().report()).isPresent();
        assertThat(weights(model).get("01Linear_weight"))
            .isNotEqualTo(before.get("01Linear_weight"));
      }
    }
  }

  private static void backward(Trainer trainer, NDList x, NDList y) {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      collector.backward(trainer.getLoss().evaluate(y, trainer.forward(x)));
    }
  }

  private static void assertUnchanged(Map<String, float[]> before, Map<String, float[]> after) {
    before.forEach((name, w) -> assertThat(after.get(name)).as(name).containsExactly(w));
  }
}
