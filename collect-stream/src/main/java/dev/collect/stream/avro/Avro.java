package dev.collect.stream.avro;

import dev.collect.core.Collector;
import dev.collect.stream.RecordSerializer;
import dev.collect.stream.internal.avro.AvroCollectors;
import dev.collect.stream.internal.avro.AvroSerializers;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.message.SchemaStore;

/**
 * Avro collectors and Kafka serialisers for three framings of Avro binary:
 *
 * <ul>
 *   <li><b>plain binary</b>, with a writer schema both sides know ({@link #binary});
 *   <li><b>single-object encoding</b> (Avro's spec: {@code C3 01}, the writer schema's 8-byte
 *       CRC-64-AVRO fingerprint, little-endian, then the datum), with writer schemas looked up by
 *       fingerprint in a {@link SchemaStore} ({@link #singleObject});
 *   <li>the <b>schema-registry wire format</b> of Confluent's and Apicurio's serdes (magic byte
 *       {@code 0}, a 4-byte big-endian schema id, then the datum), with writer schemas looked up in
 *       a {@link SchemaRegistry} ({@link #registry}).
 * </ul>
 *
 * <p>Collectors emit one {@link GenericRecord} per input in the <em>reader</em> schema when one is
 * given (Avro schema resolution: a field the writer lacks takes the reader's default, a field the
 * reader lacks is skipped), else in the writer schema. Strings arrive as {@link CharSequence}s
 * (Avro's {@code Utf8}). A record the collector cannot read is dead-lettered, never dropped, with
 * one of these reasons:
 *
 * <ul>
 *   <li>{@code malformed}: bytes that are not one whole datum of the writer schema (truncated, a
 *       bad union index or length, trailing bytes, a missing header, a null value);
 *   <li>{@value #REASON_UNKNOWN_SCHEMA}: a fingerprint or schema id that the store or registry does
 *       not know;
 *   <li>{@value #REASON_INCOMPATIBLE_SCHEMA}: a writer schema that the reader schema cannot read,
 *       or a schema id that names a schema of another type (a {@code .proto} file).
 * </ul>
 *
 * A registry that cannot be reached is a transient failure: the record is retried with the
 * pipeline's retry policy. The messages name schemas, ids and fingerprints, never record contents.
 * Collectors and serialisers are thread-safe and cache what they resolved per writer schema.
 */
public final class Avro {
  /** The dead-letter reason of a fingerprint or schema id nobody knows. */
  public static final String REASON_UNKNOWN_SCHEMA = "unknown_schema";

  /** The dead-letter reason of a writer schema the reader schema cannot read. */
  public static final String REASON_INCOMPATIBLE_SCHEMA = "incompatible_schema";

  private Avro() {}

  /** Decodes plain Avro binary written with {@code writer}, into records of {@code writer}. */
  public static Collector<byte[], GenericRecord> binary(Schema writer) {
    return binary(writer, writer);
  }

  /**
   * Decodes plain Avro binary written with {@code writer} into records of {@code reader}.
   *
   * @throws IllegalArgumentException if {@code reader} cannot read what {@code writer} wrote
   */
  public static Collector<byte[], GenericRecord> binary(Schema writer, Schema reader) {
    return AvroCollectors.binary(
        Objects.requireNonNull(writer, "writer"), Objects.requireNonNull(reader, "reader"));
  }

  /**
   * Decodes single-object encoded records, finding each writer schema by its fingerprint in {@code
   * store} (e.g. an {@link SchemaStore.Cache} the application filled), into records of {@code
   * reader}, or of each record's writer schema when {@code reader} is null.
   */
  public static Collector<byte[], GenericRecord> singleObject(SchemaStore store, Schema reader) {
    return AvroCollectors.singleObject(Objects.requireNonNull(store, "store"), reader);
  }

  /**
   * Decodes records in the schema-registry wire format, finding each writer schema by its id in
   * {@code registry}, into records of {@code reader}, or of each record's writer schema when {@code
   * reader} is null.
   */
  public static Collector<byte[], GenericRecord> registry(SchemaRegistry registry, Schema reader) {
    return AvroCollectors.registry(Objects.requireNonNull(registry, "registry"), reader);
  }

  /**
   * Writes records as plain Avro binary with {@code schema}: generic or generated (specific)
   * records. A record that does not fit the schema fails alone and is dead-lettered by the sink.
   */
  public static RecordSerializer<IndexedRecord> binarySerializer(Schema schema) {
    return AvroSerializers.binary(Objects.requireNonNull(schema, "schema"));
  }

  /** Writes records in single-object encoding with {@code schema}. */
  public static RecordSerializer<IndexedRecord> singleObjectSerializer(Schema schema) {
    return AvroSerializers.singleObject(Objects.requireNonNull(schema, "schema"));
  }

  /**
   * Writes records in the schema-registry wire format with {@code schema}, which is registered
   * under {@code subject} now (for Kafka, by convention {@code <topic>-value}).
   *
   * @throws IOException if the registry cannot be reached or refuses the schema
   */
  public static RecordSerializer<IndexedRecord> registrySerializer(
      SchemaRegistry registry, String subject, Schema schema) throws IOException {
    Objects.requireNonNull(schema, "schema");
    int id = Objects.requireNonNull(registry, "registry").register(subject, schema);
    return AvroSerializers.registry(schema, id);
  }
}
