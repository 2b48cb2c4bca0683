package dev.collect.eventstore;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** {@link EventStoreSource} over the file store, bounded, resuming from its checkpoints. */
class EventStoreSourceContractTest extends SourceContract<RecordedEvent> {
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
  protected void write(List<String> ids) {
    for (String id : ids) {
      store().append("s-" + id, ExpectedVersion.any(), EventData.of("Written", id.getBytes()));
    }
  }

  @Override
  protected Source<RecordedEvent> newSource() {
    return EventStore.source(
        EventStoreSourceConfig.builder(store()).checkpoints(checkpoints, "events").build());
  }

  @Override
  protected String idOf(Envelope<RecordedEvent> envelope) {
    return new String(envelope.value().data());
  }

  @Override
  protected boolean isBounded() {
    return true;
  }
}
