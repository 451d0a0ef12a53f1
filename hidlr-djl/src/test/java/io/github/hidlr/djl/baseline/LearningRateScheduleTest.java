package io.github.hidlr.djl.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.hidlr.core.tuner.Horizon;
import io.github.hidlr.core.tuner.TunerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schedule formulas, their warm-up, and the mapping to and from Hi-DLR's horizon. */
class LearningRateScheduleTest {

  @ParameterizedTest
  @EnumSource(Horizon.class)
  void withoutWarmupTheMultiplierIsHiDlrsHorizonScale(Horizon kind) {
    long total = kind == Horizon.CONSTANT ? 0 : 20;
    LearningRateSchedule schedule = new LearningRateSchedule(kind, total, 0);
    for (long t = 0; t < 30; t++) {
      assertThat(schedule.multiplier(t)).as("t = %d", t).isEqualTo(kind.scale(t, total));
    }
  }

  @Test
  void closedFormsOfTheThreeShapes() {
    assertThat(LearningRateSchedule.constant().multiplier(12345)).isEqualTo(1);
    LearningRateSchedule linear = LearningRateSchedule.linear(10);
    assertThat(linear.multiplier(0)).isEqualTo(1);
    assertThat(linear.multiplier(4)).isCloseTo(0.6, within(1e-15));
    assertThat(linear.multiplier(10)).isZero();
    assertThat(linear.multiplier(15)).as("stays at 0 past T").isZero();
    LearningRateSchedule cosine = LearningRateSchedule.cosine(10);
    assertThat(cosine.multiplier(5)).isCloseTo(0.5, within(1e-15));
    assertThat(cosine.multiplier(2))
        .isCloseTo((1 + Math.cos(Math.PI * 0.2)) / 2, within(1e-15));
    assertThat(cosine.rate(0.1, 5)).isCloseTo(0.05, within(1e-15));
  }

  @Test
  void warmupRisesLinearlyThenTheDecayStartsFromOne() {
    LearningRateSchedule schedule = LearningRateSchedule.cosine(10).withWarmup(4);
    assertThat(schedule.multiplier(0)).isEqualTo(0.25);
    assertThat(schedule.multiplier(1)).isEqualTo(0.5);
    assertThat(schedule.multiplier(3)).isEqualTo(1);
    assertThat(schedule.multiplier(4)).isEqualTo(Horizon.COSINE.scale(0, 6));
    assertThat(schedule.multiplier(7)).isEqualTo(Horizon.COSINE.scale(3, 6));
    assertThat(schedule.multiplier(10)).isCloseTo(0, within(1e-15));
    LearningRateSchedule constant = LearningRateSchedule.constant().withWarmup(2);
    assertThat(constant.multiplier(0)).isEqualTo(0.5);
    assertThat(constant.multiplier(1)).isEqualTo(1);
    assertThat(constant.multiplier(100)).isEqualTo(1);
  }

  @Test
  void badArgumentsFailWithTheFix() {
    assertThatThrownBy(() -> LearningRateSchedule.linear(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("T > warmupSteps");
    assertThatThrownBy(() -> LearningRateSchedule.cosine(5).withWarmup(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("T = 5, W = 5");
    assertThatThrownBy(() -> new LearningRateSchedule(Horizon.CONSTANT, 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("constant()");
    assertThatThrownBy(() -> LearningRateSchedule.constant().withWarmup(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps must be >= 0");
    assertThatThrownBy(() -> LearningRateSchedule.constant().multiplier(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LearningRateSchedule(null, 0, 0))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void feedsHiDlrsHorizonAndBack() {
    TunerConfig config =
        LearningRateSchedule.cosine(50).applyTo(TunerConfig.hiDlr().setInitialRate(1e-3)).build();
    assertThat(config.horizon()).isEqualTo(Horizon.COSINE);
    assertThat(config.horizonSteps()).isEqualTo(50);
    assertThat(LearningRateSchedule.of(config)).isEqualTo(LearningRateSchedule.cosine(50));
    TunerConfig constant =
        LearningRateSchedule.constant().applyTo(TunerConfig.gen().setInitialRate(1e-3)).build();
    assertThat(constant.horizon()).isEqualTo(Horizon.CONSTANT);
    assertThat(LearningRateSchedule.of(constant)).isEqualTo(LearningRateSchedule.constant());
    assertThatThrownBy(
            () ->
                LearningRateSchedule.linear(50)
                    .withWarmup(5)
                    .applyTo(TunerConfig.hiDlr().setInitialRate(1e-3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no warm-up");
  }
}
