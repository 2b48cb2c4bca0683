package dev.collect.examples.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.Validator;
import dev.collect.core.privacy.PrivacyKeys;
import dev.collect.core.privacy.Pseudonymizer;
import dev.collect.eventstore.EntityKeyStore;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.EventStoreSinkConfig;
import dev.collect.eventstore.EventStoreSourceConfig;
import dev.collect.eventstore.RecordedEvent;
import dev.collect.eventstore.StreamEvent;
import dev.collect.examples.recommend.Interaction;
import dev.collect.examples.recommend.RecommendationInteractions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Event sourcing for an audit trail. User interactions are recorded as immutable events, one stream
 * per (pseudonymised) user, in the embedded file event store; a morning and an afternoon batch
 * arrive through ordinary pipelines. Then it reads one user's full history, replays exactly the
 * afternoon's events (a time range of the log) into a new pipeline that writes feature rows, and
 * finally erases that user by destroying the stream's key (crypto-shredding): the log stays intact,
 * the payloads become unreadable.
 *
 * <pre>
 * java -cp ... dev.collect.examples.audit.EventSourcingAudit [--events N] [--out DIR]
 * </pre>
 */
public final class EventSourcingAudit {
  /** Users in the simulated traffic; each gets a stream and a durably stored key on first use. */
  private static final int USERS = 500;

  private static final Pseudonymizer USERS_PSEUDONYMS =
      Pseudonymizer.of(PrivacyKeys.hmac("audit-demo-key-change-me"));

  private EventSourcingAudit() {}

  /** What the example did: the two recording runs, one user's history, the replay. */
  public record Result(
      RunReport morning,
      RunReport afternoon,
      String stream,
      List<RecordedEvent> history,
      RunReport replay,
      List<RecordedEvent> historyAfterErasure) {}

  public static void main(String[] args) throws Exception {
    int events = 20_000;
    Path out = Path.of("collect-out/audit");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println("Usage: EventSourcingAudit [--events N, default 20000] [--out DIR]");
          return;
        }
      }
    }
    Result result = run(events, out);
    System.out.println("Recorded (morning):");
    System.out.print(result.morning().toTable());
    System.out.println("Recorded (afternoon):");
    System.out.print(result.afternoon().toTable());
    System.out.printf(Locale.ROOT, "%nHistory of %s:%n", result.stream());
    for (RecordedEvent e : result.history().subList(0, Math.min(5, result.history().size()))) {
      System.out.printf(
          Locale.ROOT,
          "  v%-3d #%-7d %-14s occurred %s%n",
          e.streamVersion(),
          e.position(),
          e.type(),
          e.occurredAt());
    }
    System.out.printf(Locale.ROOT, "  ... %d events in all%n", result.history().size());
    System.out.printf(
        Locale.ROOT,
        "%nReplayed the afternoon's time range into %s: %d events (%,.0f events/s)%n",
        out.resolve("replay.jsonl"),
        result.replay().written(),
        result.replay().recordsPerSecond());
    System.out.printf(
        Locale.ROOT,
        "Erased %s: %d events remain in the log, %d of them readable%n",
        result.stream(),
        result.historyAfterErasure().size(),
        result.historyAfterErasure().stream().filter(e -> !e.erased()).count());
  }

  /** Runs the whole scenario in {@code out}, starting from an empty store. */
  public static Result run(int events, Path out) throws IOException {
    Files.createDirectories(out);
    deleteRecursively(out.resolve("events"));
    deleteRecursively(out.resolve("keys"));
    Path morning = out.resolve("morning.jsonl");
    Path afternoon = out.resolve("afternoon.jsonl");
    RecommendationInteractions.generate(
        morning, events / 2, USERS, 1, Instant.parse("2026-11-24T08:00:00Z"));
    RecommendationInteractions.generate(
        afternoon, events - events / 2, USERS, 2, Instant.parse("2026-11-24T14:00:00Z"));
    Files.deleteIfExists(out.resolve("dead-letters.jsonl"));
    Files.deleteIfExists(out.resolve("replay.jsonl"));

    // Keys live apart from the log: destroying one is what erases a user.
    try (EntityKeyStore keys = EntityKeyStore.directory(out.resolve("keys"));
        EventStore store = EventStore.file(out.resolve("events")).withCryptoShredding(keys)) {
      RunReport morningRun = record(store, morning, out);
      Instant afternoonStarts = Instant.now();
      RunReport afternoonRun = record(store, afternoon, out);
      Instant afternoonEnds = Instant.now();

      String stream = streamOf(firstUser(morning));
      List<RecordedEvent> history = store.readStream(stream, 0, 100_000);

      RunReport replay =
          Pipeline.from(
                  EventStore.source(
                      EventStoreSourceConfig.builder(store)
                          .name("afternoon-replay")
                          .timeRange(afternoonStarts, afternoonEnds)
                          .build()))
              .map(AuditedInteraction::of)
              .to(Sink.jsonLines(out.resolve("replay.jsonl")))
              .name("audit-replay")
              .workers(2)
              .build()
              .run();

      store.erase(stream);
      List<RecordedEvent> erased = store.readStream(stream, 0, 100_000);
      return new Result(morningRun, afternoonRun, stream, history, replay, erased);
    }
  }

  /** Records each valid interaction as an event in its user's stream. */
  private static RunReport record(EventStore store, Path input, Path out) {
    return Pipeline.from(Source.jsonLines(input))
        .collect(Collector.json(Interaction.class))
        .validate(Validator.bean(Interaction.class))
        .to(
            EventStore.sink(
                EventStoreSinkConfig.builder(store).build(), EventSourcingAudit::toEvent))
        .deadLetters(DeadLetterSink.jsonLines(out.resolve("dead-letters.jsonl")))
        .name("audit-record")
        .build()
        .run();
  }

  private static StreamEvent toEvent(Envelope<Interaction> record) {
    Interaction interaction = record.value();
    EventData event =
        EventData.builder(eventType(interaction.type()), EventData.toJson(interaction))
            // Derived from the source position: a replayed line is recognised, not stored twice.
            .eventId(StreamEvent.stableEventId(record))
            .occurredAt(Instant.parse(interaction.timestamp()))
            .correlationId(interaction.sessionId())
            .build();
    return new StreamEvent(streamOf(interaction.userId()), event);
  }

  private static String firstUser(Path input) throws IOException {
    try (Stream<String> lines = Files.lines(input)) {
      String first = lines.findFirst().orElseThrow();
      return new ObjectMapper().readValue(first, Interaction.class).userId();
    }
  }

  /** A user's stream id: keyed pseudonym, so the log's metadata names nobody. */
  static String streamOf(String userId) {
    return "user-" + USERS_PSEUDONYMS.apply(userId).substring(0, 16);
  }

  private static String eventType(String interactionType) {
    return switch (interactionType) {
      case "view" -> "ItemViewed";
      case "click" -> "ItemClicked";
      case "add_to_cart" -> "ItemAddedToCart";
      case "purchase" -> "ItemPurchased";
      case "rating" -> "ItemRated";
      default -> throw new IllegalArgumentException("unknown interaction type");
    };
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
