package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The numbers of collect-core's README "Defaults" table. The queue's bound is also shown at work by
 * {@link BackpressureTest}.
 */
class DefaultsTest {

  @Test
  void batchDefaultsAre1024Records4MibAnd50Ms() {
    assertThat(BatchPolicy.defaults())
        .isEqualTo(new BatchPolicy(1024, 4L * 1024 * 1024, Duration.ofMillis(50)));
    assertThat(BatchPolicy.ofRecords(7).maxBytes()).isEqualTo(4L * 1024 * 1024);
  }

  @Test
  void retryDefaultsAreThreeAttemptsDoublingFrom100MsTo10sWithJitterHalfAndA60sBudget() {
    RetryPolicy defaults = RetryPolicy.defaults();
    assertThat(defaults.maxAttempts()).isEqualTo(3);
    assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(defaults.multiplier()).isEqualTo(2.0);
    assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.jitter()).isEqualTo(0.5);
    assertThat(defaults.outageBudget()).isEqualTo(Duration.ofSeconds(60));
    assertThat(RetryPolicy.builder().build()).isEqualTo(defaults);
  }

  @Test
  void pipelineDefaultsAreOneWorkerA16kRecord32MibQueueAndA1sCommitInterval() {
    assertThat(PipelineBuilder.DEFAULT_WORKERS).isEqualTo(1);
    assertThat(PipelineBuilder.DEFAULT_QUEUE_RECORDS).isEqualTo(16_384);
    assertThat(PipelineBuilder.DEFAULT_QUEUE_BYTES).isEqualTo(32L * 1024 * 1024);
    assertThat(PipelineBuilder.DEFAULT_COMMIT_INTERVAL).isEqualTo(Duration.ofSeconds(1));
  }
}
