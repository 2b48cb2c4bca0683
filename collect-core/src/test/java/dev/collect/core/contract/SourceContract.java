package dev.collect.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link Source} passes, in the style of Micrometer's {@code
 * MeterRegistryCompatibilityKit}: subclass it in the implementation's module with real components,
 * say how to put records with given ids into the source's input and how to read an id back, and
 * declare what the source claims (bounded, resumable, push). Shipped in collect-core's test jar.
 *
 * <p>Test methods are public so that a subclass can override one with {@code @Disabled("bug: ...")}
 * while an implementation's bug is open; never to weaken it.
 *
 * <p>The tests drive the source as the runtime does, from one thread, without a pipeline: open,
 * poll, commit the position of a settled record, close, and open a new instance over the same input
 * and the same {@link #checkpoints} to stand for a restart.
 *
 * @param <R> the raw type the source yields
 */
@Timeout(120)
public abstract class SourceContract<R> {
  /** How long one poll waits for its first record. */
  protected static final Duration POLL = Duration.ofMillis(200);

  /** How long the tests wait for records they expect before failing. */
  protected static final Duration PATIENCE = Duration.ofSeconds(30);

  /** The checkpoint store of the pipeline context, shared by every instance of one test. */
  protected final CheckpointStore checkpoints = CheckpointStore.inMemory();

  private final List<Source<R>> toClose = new ArrayList<>();

  /**
   * Adds one record per id to the source's input, in order. Called before the first source opens,
   * or after it opens for a push source (see {@link #inputArrivesAfterOpen()}).
   */
  protected abstract void write(List<String> ids) throws Exception;

  /** A new, unopened source over the input, resuming from what earlier instances committed. */
  protected abstract Source<R> newSource() throws Exception;

  /** The id the record in {@code envelope} was written with. */
  protected abstract String idOf(Envelope<R> envelope);

  /** True when the source ends after its input ({@link Source#isFinished()} turns true). */
  protected abstract boolean isBounded();

  /** True when a new instance resumes after the last committed position. */
  protected boolean resumesFromCommits() {
    return true;
  }

  /** True for push sources: the input is sent to an opened source, not prepared before. */
  protected boolean inputArrivesAfterOpen() {
    return false;
  }

  /**
   * Breaks the input under an opened source (drops its connection, stops its server) so that a poll
   * fails, and returns true; returns false when no such fault can be injected.
   */
  protected boolean breakInput() throws Exception {
    return false;
  }

  /** Undoes {@link #breakInput()}. */
  protected void repairInput() throws Exception {}

  /**
   * False for envelopes the source adds beside the written records (a CDC schema change): the tests
   * leave them out of the delivered records, and commit only positions of written ones.
   */
  protected boolean carriesRecord(Envelope<R> envelope) {
    return true;
  }

  /** How long a poll must stay empty before an unbounded source counts as drained. */
  protected Duration quietPeriod() {
    return Duration.ofSeconds(1);
  }

  /** The context sources are opened with. */
  protected PipelineContext context() {
    return new PipelineContext("contract", new SimpleMeterRegistry(), checkpoints);
  }

  @AfterEach
  void closeSources() throws Exception {
    for (Source<R> source : toClose) {
      try {
        source.close();
      } catch (Exception e) {
        // A source broken on purpose may fail to close; the test has asserted what matters.
      }
    }
  }

  /** Ids {@code prefix-0 .. prefix-(count-1)}. */
  protected static List<String> ids(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
  }

  private Source<R> openSourceWith(List<String> input) throws Exception {
    if (!inputArrivesAfterOpen()) {
      write(input);
    }
    Source<R> source = open();
    if (inputArrivesAfterOpen()) {
      write(input);
    }
    return source;
  }

  /** A new source, opened, closed after the test. */
  protected Source<R> open() throws Exception {
    Source<R> source = newSource();
    toClose.add(source);
    source.open(context());
    return source;
  }

  /**
   * Polls, never asking for more than {@code maxRecords} nor for more than the {@code count} still
   * expected, until {@code count} records arrived or the source finished.
   */
  protected List<Envelope<R>> pollUntil(Source<R> source, int count, int maxRecords)
      throws Exception {
    List<Envelope<R>> out = new ArrayList<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (out.size() < count && !source.isFinished() && System.nanoTime() < deadline) {
      int max = Math.min(maxRecords, count - out.size());
      List<Envelope<R>> batch = source.poll(max, POLL);
      assertThat(batch).as("a poll with maxRecords=%d", max).hasSizeLessThanOrEqualTo(max);
      batch.stream().filter(this::carriesRecord).forEach(out::add);
    }
    return out;
  }

  /** Everything the source still delivers: until finished, or until a quiet period passes. */
  protected List<Envelope<R>> drain(Source<R> source, int expected) throws Exception {
    List<Envelope<R>> out = expected > 0 ? pollUntil(source, expected, 100) : new ArrayList<>();
    long quietUntil = System.nanoTime() + quietPeriod().toNanos();
    while (!source.isFinished() && System.nanoTime() < quietUntil) {
      source.poll(100, POLL).stream().filter(this::carriesRecord).forEach(out::add);
    }
    return out;
  }

  private List<String> idsOf(List<Envelope<R>> envelopes) {
    return envelopes.stream().map(this::idOf).toList();
  }

  @Test
  public void pollsReturnAtMostMaxRecordsAndDeliverEachRecordOnceInOrder() throws Exception {
    List<String> input = ids("bounded", 10);
    Source<R> source = openSourceWith(input);

    List<Envelope<R>> delivered = pollUntil(source, 10, 3);
    delivered.addAll(drain(source, 0));

    assertThat(idsOf(delivered)).containsExactlyElementsOf(input);
  }

  @Test
  public void restartResumesExactlyAfterTheLastCommittedRecord() throws Exception {
    assumeThat(resumesFromCommits()).as("the source resumes from commits").isTrue();
    List<String> input = ids("resume", 10);
    Source<R> first = openSourceWith(input);
    List<Envelope<R>> delivered = pollUntil(first, 10, 100);
    assertThat(idsOf(delivered)).containsExactlyElementsOf(input);

    first.commit(delivered.get(1).position());
    first.commit(delivered.get(3).position());
    first.close();
    List<Envelope<R>> redelivered = drain(open(), 6);

    assertThat(idsOf(redelivered)).containsExactlyElementsOf(input.subList(4, 10));
  }

  @Test
  public void restartWithoutACommitRedeliversEveryRecord() throws Exception {
    assumeThat(resumesFromCommits()).as("the source resumes from commits").isTrue();
    List<String> input = ids("uncommitted", 5);
    Source<R> first = openSourceWith(input);
    assertThat(idsOf(pollUntil(first, 5, 100))).containsExactlyElementsOf(input);

    first.close();
    List<Envelope<R>> redelivered = drain(open(), 5);

    assertThat(idsOf(redelivered)).containsExactlyElementsOf(input);
  }

  @Test
  public void closeIsIdempotent() throws Exception {
    Source<R> source = openSourceWith(ids("close", 3));
    pollUntil(source, 1, 100);

    source.close();

    assertThatCode(source::close).doesNotThrowAnyException();
  }

  @Test
  public void isFinishedTurnsTrueOnlyAfterTheLastRecordOfABoundedSource() throws Exception {
    List<String> input = ids("finish", 4);
    Source<R> source = openSourceWith(input);
    assertThat(source.isFinished()).as("finished before the first poll").isFalse();

    List<Envelope<R>> delivered = drain(source, 4);

    assertThat(idsOf(delivered)).containsExactlyElementsOf(input);
    assertThat(source.isFinished()).isEqualTo(isBounded());
    assertThat(source.poll(10, POLL)).isEmpty();
    assertThat(source.isFinished()).isEqualTo(isBounded());
  }

  @Test
  public void aFailedPollLosesNothing() throws Exception {
    assumeThat(resumesFromCommits()).as("the source resumes from commits").isTrue();
    List<String> input = ids("fault", 10);
    Source<R> first = openSourceWith(input);
    List<Envelope<R>> settled = pollUntil(first, 4, 4);
    assertThat(idsOf(settled)).containsExactlyElementsOf(input.subList(0, 4));
    first.commit(settled.get(3).position());
    assumeThat(breakInput()).as("a fault can be injected under this source").isTrue();

    Exception failure = null;
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (failure == null && System.nanoTime() < deadline) {
      try {
        first.poll(1, POLL);
      } catch (Exception e) {
        failure = e;
      }
    }
    assertThat(failure).as("a poll over the broken input fails").isNotNull();
    try {
      first.close();
    } catch (Exception e) {
      // A broken source may fail to close; what matters is what the restart delivers.
    }
    repairInput();
    List<Envelope<R>> redelivered = drain(open(), 6);

    assertThat(idsOf(redelivered)).containsExactlyElementsOf(input.subList(4, 10));
  }
}
