package dev.collect.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.stream.MessagesLostException;
import dev.collect.stream.PublisherSequence;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SequenceGapsTest {
  private final SequenceGaps gaps = new SequenceGaps(PublisherSequence.jsonField("seq"));

  private MessagesLostException receive(String topic, String payload) {
    return gaps.check(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void reportsExactlyTheSkippedNumbersOfEachPublisher() {
    assertThat(receive("a", "{\"seq\":7}")).isNull();
    assertThat(receive("a", "{\"seq\":8}")).isNull();
    assertThat(receive("b", "{\"seq\":0}")).isNull();

    MessagesLostException gap = receive("a", "{\"seq\":12}");

    assertThat(gap.publisher()).isEqualTo("a");
    assertThat(gap.firstLost()).isEqualTo(9);
    assertThat(gap.lastLost()).isEqualTo(11);
    assertThat(gap.count()).isEqualTo(3);
    assertThat(gap.getMessage()).contains("3 messages", "9 to 11", "max_queued_messages");
    assertThat(receive("b", "{\"seq\":1}")).isNull();
  }

  @Test
  void redeliveriesAndUnnumberedMessagesAreNoGap() {
    receive("a", "{\"seq\":1}");
    receive("a", "{\"seq\":2}");

    assertThat(receive("a", "{\"seq\":1}")).isNull();
    assertThat(receive("a", "{\"seq\":2}")).isNull();
    assertThat(receive("a", "not json")).isNull();
    assertThat(receive("a", "{\"other\":5}")).isNull();
    assertThat(receive("a", "{\"seq\":\"x\"}")).isNull();
    assertThat(receive("a", "{\"seq\":3}")).isNull();
    assertThat(receive("a", "{\"seq\":5}").firstLost()).isEqualTo(4);
  }

  @Test
  void forgetsTheLeastRecentlyHeardPublisherBeyondTheBound() {
    SequenceGaps plain =
        new SequenceGaps(
            (topic, payload) ->
                new PublisherSequence(
                    topic, Long.parseLong(new String(payload, StandardCharsets.UTF_8))));
    plain.check("first", "0".getBytes(StandardCharsets.UTF_8));
    plain.check("kept", "0".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < SequenceGaps.MAX_PUBLISHERS - 2; i++) {
      plain.check("p" + i, "0".getBytes(StandardCharsets.UTF_8));
    }
    plain.check("kept", "1".getBytes(StandardCharsets.UTF_8));

    plain.check("one-too-many", "0".getBytes(StandardCharsets.UTF_8));

    assertThat(plain.check("first", "5".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(plain.check("kept", "5".getBytes(StandardCharsets.UTF_8)).firstLost()).isEqualTo(2);
  }
}
