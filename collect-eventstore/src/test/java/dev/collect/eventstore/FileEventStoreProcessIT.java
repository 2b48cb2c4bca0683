package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store against other processes and real I/O errors, with the store in a child JVM ({@link
 * FileStoreChild}): one process per directory, and the refusal of appends after an I/O error until
 * the store is reopened.
 */
@Timeout(180)
class FileEventStoreProcessIT {
  private static final String STOPPED =
      "the event store stopped after an I/O failure: reopen it to recover";

  @TempDir Path dir;

  @Test
  void aDirectoryOpenInAnotherProcessIsRefusedUntilThatProcessEnds() throws Exception {
    Path log = dir.resolve("log");
    String refused = "event store " + log + " is open in another process: close it first";

    try (ChildJvm holder = new ChildJvm(FileStoreChild.class, "hold", log.toString())) {
      holder.awaitLine("OPEN"::equals, 60);
      assertThatThrownBy(() -> EventStore.file(log))
          .isInstanceOf(EventStoreException.class)
          .hasMessage(refused);
      assertThat(holder.finish()).isZero(); // closes its store and exits
    }
    try (EventStore store = EventStore.file(log)) {
      store.append("s", ExpectedVersion.noStream(), EventStoreContract.event("T", "parent"));
    }
    try (ChildJvm holder = new ChildJvm(FileStoreChild.class, "hold", log.toString())) {
      holder.awaitLine("OPEN"::equals, 60);
      assertThatThrownBy(() -> EventStore.file(log)).hasMessage(refused);
      holder.kill(); // SIGKILL: the OS releases the lock of a process that dies
    }

    try (EventStore store = EventStore.file(log)) {
      assertThat(store.readAll(0, 10))
          .extracting(EventStoreContract::text)
          .containsExactly("parent");
    }
  }

  @Test
  void afterAnIoErrorEveryAppendIsRefusedUntilTheStoreIsReopened() throws Exception {
    Path log = dir.resolve("log");
    List<String> lines;
    // 512 blocks (256 or 512 KiB): the segment file reaches the limit after some 4 KiB appends
    try (ChildJvm child =
        ChildJvm.withFileSizeLimit(512, FileStoreChild.class, "fill", log.toString())) {
      child.awaitLine("DONE"::equals, 150);
      assertThat(child.finish()).isZero();
      lines = child.lines();
    }
    List<String> acknowledged = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> after = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("ACK ")) {
        acknowledged.add(line.substring(4));
      } else if (line.startsWith("FAILED ")) {
        failed.add(line.substring(7));
      } else if (line.startsWith("REFUSED ") || line.equals("ACCEPTED")) {
        after.add(line);
      }
    }

    assertThat(acknowledged).hasSizeBetween(10, FileStoreChild.MAX_APPENDS - 1);
    assertThat(failed).hasSize(1);
    String[] failure = failed.get(0).split(" \\| ");
    assertThat(failure[1]).isEqualTo(STOPPED);
    assertThat(failure[2]).startsWith("java.io.IOException"); // File too large
    assertThat(after)
        .containsExactly(
            "REFUSED EventStoreException | " + STOPPED,
            "REFUSED EventStoreException | " + STOPPED,
            "REFUSED EventStoreException | " + STOPPED);

    String failedId = failure[0];
    try (FileEventStore store = EventStore.file(log)) {
      assertThat(store.recoveryReport().cuts())
          .allMatch(cut -> cut.kind() == RecoveryReport.Kind.TORN_TAIL);
      List<String> reopened = ids(store);
      // every acknowledged append is there, in order; the failed one may or may not be
      assertThat(reopened.subList(0, acknowledged.size())).isEqualTo(acknowledged);
      assertThat(reopened.subList(acknowledged.size(), reopened.size()))
          .isSubsetOf(List.of(failedId));

      AppendResult retry =
          store.append(
              "filler",
              ExpectedVersion.any(),
              EventData.builder("T", new byte[4096]).eventId(failedId).build());
      store.append("after-reopen", ExpectedVersion.noStream(), EventStoreContract.event("T", "x"));

      List<String> expected = new ArrayList<>(acknowledged);
      expected.add(failedId);
      assertThat(retry.duplicate()).isEqualTo(reopened.size() > acknowledged.size());
      assertThat(ids(store))
          .hasSize(expected.size() + 1)
          .startsWith(expected.toArray(String[]::new));
      assertThat(store.streamVersion("after-reopen")).isZero();
    }
  }

  private static List<String> ids(EventStore store) {
    List<String> ids = new ArrayList<>();
    for (RecordedEvent e : store.readAll(0, Integer.MAX_VALUE)) {
      assertThat(e.position()).isEqualTo(ids.size());
      ids.add(e.eventId());
    }
    return ids;
  }
}
