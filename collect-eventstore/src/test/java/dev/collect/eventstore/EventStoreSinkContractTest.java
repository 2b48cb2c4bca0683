package dev.collect.eventstore;

import dev.collect.core.Sink;
import dev.collect.core.contract.SinkContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventStoreSink} over the file store, with event ids derived from the record (what makes it
 * idempotent), read back with {@link EventStore#readAll}.
 */
class EventStoreSinkContractTest extends SinkContract<String> {
  @TempDir Path dir;
  private EventStore store;

  private EventStore store() {
    if (store == null) {
      store = EventStore.file(dir.resolve("log"));
    }
    return store;
  }

  @AfterEach
  void closeStore() {
    store().close();
  }

  @Override
  protected Sink<String> newSink() {
    return EventStore.sink(
        EventStoreSinkConfig.builder(store()).build(),
        envelope -> {
          byte[] id = envelope.value().getBytes(StandardCharsets.UTF_8);
          return new StreamEvent(
              "s-" + envelope.value(),
              EventData.builder("Written", id)
                  .eventId(UUID.nameUUIDFromBytes(id).toString())
                  .build());
        });
  }

  @Override
  protected String record(String id) {
    return id;
  }

  @Override
  protected List<String> readBack() {
    return store().readAll(0, 100_000).stream()
        .map(e -> new String(e.data(), StandardCharsets.UTF_8))
        .toList();
  }
}
