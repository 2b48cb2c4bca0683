package dev.collect.core.internal.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses UTF-8 JSON bytes into a type. Unknown fields are skipped and counted (schema drift), so a
 * producer adding a field does not break the pipeline; everything else that goes wrong is a {@link
 * MalformedRecordException} whose message names the problem and its location, never the content.
 * The decisions on JSON's corner cases are listed on {@link Collector#json(Class)}.
 */
public final class JsonCollector<T> implements Collector<byte[], T> {
  private static final int MAX_DRIFT_FIELDS = 100;
  private final Class<T> type;
  private final ObjectReader reader;
  private final Map<String, Counter> drift = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private volatile String pipeline = "pipeline";

  private JsonCollector(Class<T> type, ObjectMapper mapper) {
    this.type = type;
    // A copy: the finite-number rule must not change the caller's mapper.
    this.reader =
        mapper
            .copy()
            .registerModule(FiniteNumbers.module())
            .readerFor(type)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .withHandler(new DriftCounter());
  }

  public static <T> JsonCollector<T> of(Class<T> type) {
    return new JsonCollector<>(type, Json.mapper());
  }

  public static <T> JsonCollector<T> of(Class<T> type, ObjectMapper mapper) {
    return new JsonCollector<>(type, mapper);
  }

  @Override
  public void open(PipelineContext context) {
    this.pipeline = context.pipeline();
    this.registry = context.meterRegistry();
  }

  @Override
  public void collect(Envelope<byte[]> input, Output<T> output) {
    byte[] bytes = input.value();
    if (bytes == null) {
      throw new MalformedRecordException(
          "malformed JSON for " + type.getSimpleName() + ": no bytes");
    }
    T value;
    try {
      value = reader.readValue(bytes);
    } catch (IOException e) {
      throw new MalformedRecordException(
          JsonErrors.describe(type.getSimpleName(), e), e instanceof JacksonException ? null : e);
    }
    if (value == null) {
      throw new MalformedRecordException(
          "malformed JSON for " + type.getSimpleName() + ": empty or 'null'");
    }
    int lone = Surrogates.loneAt(bytes);
    if (lone >= 0) {
      throw new MalformedRecordException(
          "malformed JSON for "
              + type.getSimpleName()
              + ": escaped lone surrogate at byte "
              + lone
              + " (a string that UTF-8 cannot hold)");
    }
    output.emit(value);
  }

  /** Unknown fields seen so far, per field name. */
  public Map<String, Double> driftCounts() {
    Map<String, Double> out = new java.util.TreeMap<>();
    drift.forEach((field, counter) -> out.put(field, counter.count()));
    return out;
  }

  private final class DriftCounter extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      p.skipChildren();
      String owner =
          beanOrClass instanceof Class<?> c
              ? c.getSimpleName()
              : beanOrClass.getClass().getSimpleName();
      String field =
          owner + "." + (propertyName.length() > 64 ? propertyName.substring(0, 64) : propertyName);
      if (drift.size() >= MAX_DRIFT_FIELDS && !drift.containsKey(field)) {
        // A stranger could send endless new field names: cap the number of meters.
        field = owner + ".<other>";
      }
      drift.computeIfAbsent(field, this::counter).increment();
      return true;
    }

    private Counter counter(String field) {
      MeterRegistry r = registry;
      if (r == null) {
        r = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      }
      return Counter.builder(MetricNames.SCHEMA_DRIFT)
          .description("Unknown fields seen while parsing")
          .tags(
              MetricNames.TAG_PIPELINE,
              pipeline,
              MetricNames.TAG_TYPE,
              type.getSimpleName(),
              MetricNames.TAG_FIELD,
              field)
          .register(r);
    }
  }
}
