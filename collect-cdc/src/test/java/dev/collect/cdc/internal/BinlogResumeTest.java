package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class BinlogResumeTest {
  private static SourceRecord at(Map<String, ?> offset) {
    return new SourceRecord(Map.of(), offset, "t", null, null, null, null, null);
  }

  @Test
  void anOffsetWithoutSkipCountsIsCommittedAsItIs() {
    SourceRecord heartbeat = at(Map.of("file", "bin.1", "pos", 100L));

    assertThat(BinlogResume.offset(heartbeat, null)).isNull();
  }

  @Test
  void aRowFollowedByARowOfTheSameEventIsNotResumable() {
    SourceRecord first = at(Map.of("file", "bin.1", "pos", 200L, "row", 1));
    SourceRecord second = at(Map.of("file", "bin.1", "pos", 200L, "row", 2));

    assertThat(BinlogResume.offset(first, second)).isSameAs(BinlogResume.NOT_RESUMABLE);
    assertThat(BinlogResume.offset(second, null)).isSameAs(BinlogResume.NOT_RESUMABLE);
  }

  @Test
  void theLastRowOfAnEventResumesAfterTheEventWithoutSkippingRows() {
    SourceRecord last = at(Map.of("file", "bin.1", "pos", 200L, "row", 3, "event", 2));
    SourceRecord nextEvent = at(Map.of("file", "bin.1", "pos", 350L, "row", 1));

    assertThat(BinlogResume.offset(last, nextEvent))
        .isEqualTo(Map.of("file", "bin.1", "pos", 200L));
  }
}
