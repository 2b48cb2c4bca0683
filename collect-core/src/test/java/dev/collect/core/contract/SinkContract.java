package dev.collect.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchException;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.RecordsRejectedException;
import dev.collect.core.Sink;
import dev.collect.core.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link Sink} passes (dead-letter sinks too, through {@link
 * #deadLetters(DeadLetterSink)}): subclass it in the implementation's module with the real store,
 * say how to make a record with a given id and how to read the ids back from the store with a
 * reader of its own (not the sink). What the sink claims ({@link Sink#isIdempotent()}, {@link
 * Sink#isThreadSafe()}) decides which promises are checked. Shipped in collect-core's test jar.
 *
 * <p>Test methods are public so that a subclass can override one with {@code @Disabled("bug: ...")}
 * while an implementation's bug is open; never to weaken it.
 *
 * @param <T> the record type
 */
@Timeout(120)
public abstract class SinkContract<T> {

  /** The checkpoint store of the pipeline context. */
  protected final CheckpointStore checkpoints = CheckpointStore.inMemory();

  private final List<Sink<T>> toClose = new ArrayList<>();
  private final Map<String, Long> positions = new ConcurrentHashMap<>();
  private final AtomicLong nextPosition = new AtomicLong();

  /** A new, unopened sink over the store that earlier instances wrote to. */
  protected abstract Sink<T> newSink() throws Exception;

  /** A record carrying {@code id}. */
  protected abstract T record(String id);

  /**
   * The ids of the records durable in the store now, one entry per stored copy, read with a reader
   * of the store's own while the sink may still be open (as after a crash); null when the sink
   * keeps nothing by design.
   */
  protected abstract List<String> readBack() throws Exception;

  /** A record this sink rejects (a constraint it violates), or null when it rejects none. */
  protected T rejectedRecord(String id) {
    return null;
  }

  /** True when the sink names the records it rejects with a {@link RecordsRejectedException}. */
  protected boolean reportsRejectedRecords() {
    return false;
  }

  /** The context sinks are opened with. */
  protected PipelineContext context() {
    return new PipelineContext("contract", new SimpleMeterRegistry(), checkpoints);
  }

  @AfterEach
  void closeSinks() throws Exception {
    for (Sink<T> sink : toClose) {
      sink.close();
    }
  }

  /** A new sink, opened, closed after the test. */
  protected Sink<T> open() throws Exception {
    Sink<T> sink = newSink();
    toClose.add(sink);
    sink.open(context());
    return sink;
  }

  /** Ids {@code prefix-from .. prefix-(to-1)}. */
  protected static List<String> ids(String prefix, int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> prefix + "-" + i).toList();
  }

  /**
   * Envelopes of the records, each with the same source position whenever its id comes again, as a
   * restarted source replays them.
   */
  protected List<Envelope<T>> batch(List<String> ids) {
    return ids.stream().map(id -> envelope(record(id), id)).toList();
  }

  private Envelope<T> envelope(T value, String id) {
    long sequence = positions.computeIfAbsent(id, k -> nextPosition.getAndIncrement());
    return Envelope.builder(value).source("contract").position(Position.sequence(sequence)).build();
  }

  @Test
  public void flushMakesEveryWrittenRecordDurable() throws Exception {
    Sink<T> sink = open();

    sink.write(batch(ids("durable", 0, 5)));
    sink.write(batch(ids("durable", 5, 10)));
    sink.flush();

    List<String> stored = readBack();
    assumeThat(stored).as("the sink keeps records").isNotNull();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(ids("durable", 0, 10));
  }

  @Test
  public void aReplayAfterACrashLeavesOneCopyOfEachRecordWhenIdempotent() throws Exception {
    Sink<T> crashed = open();
    assumeThat(crashed.isIdempotent()).as("the sink claims idempotence").isTrue();
    crashed.write(batch(ids("replay", 0, 6)));
    crashed.flush();

    Sink<T> restarted = open();
    restarted.write(batch(ids("replay", 3, 10)));
    restarted.flush();

    List<String> stored = readBack();
    assumeThat(stored).as("the sink keeps records").isNotNull();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(ids("replay", 0, 10));
  }

  @Test
  public void concurrentWritesAndFlushesLoseNothingWhenThreadSafe() throws Exception {
    Sink<T> sink = open();
    assumeThat(sink.isThreadSafe()).as("the sink claims thread-safety").isTrue();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String prefix = "thread" + t;
      writers.add(
          pool.submit(
              () -> {
                for (int b = 0; b < 5; b++) {
                  sink.write(batch(ids(prefix, b * 3, b * 3 + 3)));
                }
                return null;
              }));
    }
    Future<?> flusher =
        pool.submit(
            () -> {
              while (writing.get()) {
                sink.flush();
                Thread.sleep(5); // pacing only: a spinning flusher would starve the writers
              }
              return null;
            });

    try {
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      writing.set(false);
      pool.shutdown();
    }
    flusher.get(60, TimeUnit.SECONDS);
    sink.flush();

    List<String> expected = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      expected.addAll(ids("thread" + t, 0, 15));
    }
    List<String> stored = readBack();
    assumeThat(stored).as("the sink keeps records").isNotNull();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  public void aRejectedRecordIsReportedAsThatRecordsFailure() throws Exception {
    T rejected = rejectedRecord("rejected-1");
    assumeThat(rejected).as("the sink rejects some records").isNotNull();
    Sink<T> sink = open();
    List<Envelope<T>> batch =
        List.of(
            envelope(record("rejected-0"), "rejected-0"),
            envelope(rejected, "rejected-1"),
            envelope(record("rejected-2"), "rejected-2"));

    Exception failure = catchException(() -> sink.write(batch));

    assertThat(failure).as("writing a batch with a rejected record").isNotNull();
    if (reportsRejectedRecords()) {
      assertThat(failure).isInstanceOf(RecordsRejectedException.class);
      assertThat(((RecordsRejectedException) failure).rejected()).containsOnlyKeys(1);
      sink.flush();
      assertThat(readBack()).containsExactlyInAnyOrder("rejected-0", "rejected-2");
    } else {
      // Not retried as an outage: the runtime splits the batch and dead-letters only this record.
      assertThat(ErrorClassifier.defaults().classify(failure))
          .isEqualTo(ErrorClassifier.Kind.RECORD);
      sink.write(batch(List.of("after-rejection")));
      sink.flush();
      assertThat(readBack()).contains("after-rejection");
    }
  }

  @Test
  public void closeIsIdempotentAndKeepsWhatWasWritten() throws Exception {
    Sink<T> sink = open();
    sink.write(batch(ids("close", 0, 3)));
    sink.flush();

    sink.close();

    assertThatCode(sink::close).doesNotThrowAnyException();
    List<String> stored = readBack();
    assumeThat(stored).as("the sink keeps records").isNotNull();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(ids("close", 0, 3));
  }

  /**
   * A dead-letter sink seen as a thread-safe, non-idempotent {@code Sink<DeadLetter>}, so that it
   * runs this contract (a dead-letter sink must take writes from several workers at once).
   */
  protected static Sink<DeadLetter> deadLetters(DeadLetterSink sink) {
    return new Sink<>() {
      @Override
      public String name() {
        return sink.name();
      }

      @Override
      public void open(PipelineContext context) throws Exception {
        sink.open(context);
      }

      @Override
      public void write(List<Envelope<DeadLetter>> batch) throws Exception {
        sink.write(batch.stream().map(Envelope::value).toList());
      }

      @Override
      public void flush() throws Exception {
        sink.flush();
      }

      @Override
      public boolean isThreadSafe() {
        return true;
      }

      @Override
      public void close() throws Exception {
        sink.close();
      }
    };
  }

  /** A dead letter whose {@code key} is {@code id}, for {@link #record(String)} of such sinks. */
  protected static DeadLetter deadLetter(String id) {
    Instant now = Instant.now();
    return new DeadLetter(
        "contract",
        null,
        null,
        "step",
        Stage.SINK,
        "rejected",
        "java.lang.IllegalArgumentException",
        "bad record",
        List.of(),
        List.of(),
        false,
        1,
        now,
        now,
        "contract-source",
        Map.of("sequence", 1),
        id,
        null,
        now,
        Map.of(),
        "utf8",
        "{\"id\":\"" + id + "\"}");
  }
}
