package io.github.hidlr.djl.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hidlr.djl.baseline.DAdaptAdam;
import io.github.hidlr.djl.baseline.Prodigy;
import io.github.hidlr.djl.baseline.ScheduleFreeAdamW;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The baselines' one format for global scalars: a record read and written as named values. */
class ScalarStateTest {

  @Test
  void aRecordRoundTripsThroughItsNamedValuesInComponentOrder() {
    Prodigy.Scalars prodigy = new Prodigy.Scalars(0.5, 0.75, Double.NaN, -2, 3e-7, 12);
    Map<String, Double> values = ScalarState.toMap(prodigy);
    assertThat(values.keySet()).containsExactly("d", "dMax", "dHat", "dNumerator", "dDenom", "k");
    assertThat(values.get("k")).isEqualTo(12.0);
    assertThat(ScalarState.fromMap(Prodigy.Scalars.class, values)).isEqualTo(prodigy);

    ScheduleFreeAdamW.Scalars schedule = new ScheduleFreeAdamW.Scalars(false, 1, 2, 3, 0.25);
    assertThat(ScalarState.toMap(schedule).get("trainMode")).isZero();
    assertThat(ScalarState.fromMap(ScheduleFreeAdamW.Scalars.class, ScalarState.toMap(schedule)))
        .isEqualTo(schedule);
  }

  @Test
  void aStepCountOrAFlagThatIsNotAnIntegerIsRefused() {
    Map<String, Double> values = new LinkedHashMap<>(
        ScalarState.toMap(new DAdaptAdam.Scalars(1, 2, 3, 4, 5)));
    values.put("k", 1.5);
    assertThatThrownBy(() -> ScalarState.fromMap(DAdaptAdam.Scalars.class, values))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k = 1.5, not a valid long");
    Map<String, Double> flags = new LinkedHashMap<>(
        ScalarState.toMap(new ScheduleFreeAdamW.Scalars(true, 1, 2, 3, 4)));
    flags.put("trainMode", 0.5);
    assertThatThrownBy(() -> ScalarState.fromMap(ScheduleFreeAdamW.Scalars.class, flags))
        .hasMessageContaining("not a valid boolean");
  }
}
