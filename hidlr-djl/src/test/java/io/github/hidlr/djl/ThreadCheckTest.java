package io.github.hidlr.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadCheckTest {

  @Test
  void warnsOnlyForSeveralThreadsOnTwoCoresOrFewer() {
    assertThat(ThreadCheck.oversubscribed(null, 2)).contains("2 intra-op threads on 2 cores",
        "-Dai.djl.pytorch.num_threads=1");
    assertThat(ThreadCheck.oversubscribed("4", 1)).contains("4 intra-op threads on 1 cores");
    assertThat(ThreadCheck.oversubscribed("1", 2)).isNull();
    assertThat(ThreadCheck.oversubscribed(null, 1)).isNull();
    assertThat(ThreadCheck.oversubscribed("8", 16)).isNull();
    assertThat(ThreadCheck.oversubscribed(null, 4)).isNull();
  }
}
