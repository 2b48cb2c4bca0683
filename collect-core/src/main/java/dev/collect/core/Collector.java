package dev.collect.core;

import dev.collect.core.internal.json.JsonCollector;

/**
 * Turns one raw input into zero or more typed records: parses JSON into a record class, maps a
 * change event, weights an interaction.
 *
 * <p>An exception thrown by {@link #collect} is a failure of that one record: it goes to the
 * dead-letter sink (after retries, if the pipeline's classifier calls it transient) and the
 * pipeline goes on. Emitting nothing filters the record on purpose. A collector is called from
 * several worker threads at once and must be thread-safe; built-in collectors are.
 *
 * <p>A collector that holds records back (windows, buffers) releases them in {@link #endOfInput}
 * when a bounded source is finished: the runtime calls it once per pipeline step, after every
 * record of the source was processed by every worker, and before the run's final flush and commit.
 *
 * @param <R> the input type
 * @param <T> the output type
 */
@FunctionalInterface
public interface Collector<R, T> {

  /** Emits the records {@code input} yields to {@code output}. */
  void collect(Envelope<R> input, Output<T> output) throws Exception;

  /** Called once before the first record, e.g. to register meters. */
  default void open(PipelineContext context) {}

  /**
   * Emits what the collector still holds once a bounded source is finished; by default nothing.
   *
   * <p>Called once per run and pipeline step, from one thread, after every worker has processed
   * every record of the source and the {@code endOfInput} outputs of the steps before this one.
   * What it emits runs through the steps after it like any other record (validated, transformed,
   * written or dead-lettered, and counted in the run report as extra received records), and is
   * written before the run's final flush and commit. Each output is its own origin: {@code
   * emit(value)} gives a record with no key, times or position, so emit envelopes to set them.
   *
   * <p>Not called when the source is unbounded, when the pipeline is stopped before its source
   * finished (or its drain runs out of time), or after a failure. An exception fails the run (there
   * is no record to dead-letter) without its final commit. Positions committed before the source
   * reported its end are not held back: what a collector holds is in memory.
   */
  default void endOfInput(Output<T> output) throws Exception {}

  /** One output per input: {@code value -> mapping(value)}. */
  static <R, T> Collector<R, T> map(ThrowingFunction<? super R, ? extends T> mapping) {
    return (input, output) -> output.emit(mapping.apply(input.value()));
  }

  /**
   * Parses UTF-8 JSON bytes into {@code type} with Jackson. Unknown fields are skipped and counted
   * per type and field as schema drift ({@code collect.schema.drift}); malformed JSON, invalid
   * UTF-8 and wrong types fail the record with a {@link MalformedRecordException}, whose message
   * gives the reason and where, never the record's content ({@code "malformed JSON for Order:
   * nesting depth 1001 exceeds 1000 at line 1, column 1002"}, {@code "...: invalid UTF-8 start byte
   * 0xFF"}, {@code "...: wrong type, expected double at field 'total'"}).
   *
   * <p>Corner cases, decided:
   *
   * <ul>
   *   <li>a number beyond the range of a {@code double} or {@code float} field ({@code 1e400})
   *       fails the record ({@code "number out of range for double"}) instead of becoming Infinity,
   *       which JSON writers emit as the string {@code "Infinity"};
   *   <li>a duplicate key in an object fails the record ({@code "duplicate field 'id'"}): which of
   *       two values is meant cannot be known;
   *   <li>an escaped lone surrogate (<code>"&#92;ud800"</code> without its pair) fails the record:
   *       no UTF-8 writer can write that string back;
   *   <li>a UTF-8 byte order mark at the start is skipped;
   *   <li>a carriage return before the line feed (CRLF files) is JSON whitespace and accepted.
   * </ul>
   */
  static <T> Collector<byte[], T> json(Class<T> type) {
    return JsonCollector.of(type);
  }

  /**
   * Like {@link #json(Class)} with a caller-configured Jackson mapper (modules, naming, mix-ins).
   *
   * <p>The given mapper is left as it is: the collector takes a {@link
   * com.fasterxml.jackson.databind.ObjectMapper#copy() copy} when it is created and configures only
   * the copy, so later changes to {@code mapper} do not reach the collector either. Whatever the
   * mapper says, the copy reads with the defaults of {@link #json(Class)}:
   *
   * <ul>
   *   <li>unknown properties are skipped and counted as schema drift ({@code
   *       FAIL_ON_UNKNOWN_PROPERTIES} off);
   *   <li>anything after the first value but whitespace fails the record ({@code
   *       FAIL_ON_TRAILING_TOKENS} on);
   *   <li>a duplicate key fails the record ({@code STRICT_DUPLICATE_DETECTION} on);
   *   <li>{@code double} and {@code float} fields accept only finite numbers.
   * </ul>
   *
   * Every other setting of the mapper (modules, naming strategy, coercion, date formats) applies.
   */
  static <T> Collector<byte[], T> json(
      Class<T> type, com.fasterxml.jackson.databind.ObjectMapper mapper) {
    return JsonCollector.of(type, mapper);
  }

  /**
   * Where a collector puts its outputs; valid only during the {@code collect} or {@code endOfInput}
   * call.
   */
  interface Output<T> {
    /** Emits a record that keeps the input's key, times, headers, position and raw bytes. */
    void emit(T value);

    /**
     * Emits a record with its own metadata, usually {@code input.withValue(v).withKey(k)}. A key
     * set here decides the record's worker (and so its order) only if a {@link Flow#routeByKey()}
     * or {@link Flow#keyBy} step follows this collector; see {@link Envelope}.
     */
    void emit(Envelope<T> record);
  }

  /** A function that may throw: a failure is a per-record failure. */
  @FunctionalInterface
  interface ThrowingFunction<A, B> {
    B apply(A value) throws Exception;
  }
}
