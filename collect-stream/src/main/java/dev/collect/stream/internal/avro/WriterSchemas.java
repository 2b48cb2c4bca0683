package dev.collect.stream.internal.avro;

import dev.collect.core.RejectedRecordException;
import dev.collect.core.RetriableCollectException;
import dev.collect.stream.avro.Avro;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.avro.SchemaRegistry.SchemaType;
import dev.collect.stream.avro.SchemaRegistry.TypedSchema;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry side of a collector of the registry wire format, shared by the Avro and the Protobuf
 * collectors: the header (magic byte {@code 0}, a 4-byte big-endian schema id) and, per schema id,
 * what the collector prepared from the writer schema, resolved once through the registry and
 * cached. Thread-safe.
 *
 * @param <R> what the collector prepares from a writer schema's text
 */
public final class WriterSchemas<R> {
  /** The magic byte of the registry wire format. */
  public static final byte MAGIC = 0;

  /** The length of the header: the magic byte and the schema id. */
  public static final int HEADER = 5;

  private final SchemaRegistry registry;
  private final SchemaType type;
  private final Function<String, R> prepare;
  private final Map<Integer, R> cache = new ConcurrentHashMap<>();

  public WriterSchemas(SchemaRegistry registry, SchemaType type, Function<String, R> prepare) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.type = type;
    this.prepare = prepare;
  }

  /** The header for {@code id}. */
  public static byte[] header(int id) {
    return new byte[] {MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
  }

  /** The schema id of a value whose header the caller has checked. */
  public static int schemaId(byte[] bytes) {
    return ((bytes[1] & 0xFF) << 24)
        | ((bytes[2] & 0xFF) << 16)
        | ((bytes[3] & 0xFF) << 8)
        | (bytes[4] & 0xFF);
  }

  /**
   * What was prepared from the writer schema with this id.
   *
   * @throws RetriableCollectException when the registry cannot be asked
   * @throws RejectedRecordException {@code unknown_schema} when the registry has no such id, {@code
   *     incompatible_schema} when the id names a schema of another type
   */
  public R get(int id) {
    R prepared = cache.get(id);
    if (prepared != null) {
      return prepared;
    }
    Optional<TypedSchema> writer;
    try {
      writer = registry.lookup(id);
    } catch (IOException e) {
      throw new RetriableCollectException("schema registry unavailable for schema id " + id, e);
    }
    if (writer.isEmpty()) {
      throw new RejectedRecordException(
          Avro.REASON_UNKNOWN_SCHEMA, "schema id " + id + " is not in the registry");
    }
    if (writer.get().type() != type) {
      throw new RejectedRecordException(
          Avro.REASON_INCOMPATIBLE_SCHEMA,
          "schema id " + id + " names a schema of type " + writer.get().type() + ", not " + type);
    }
    return cache.computeIfAbsent(id, i -> prepare.apply(writer.get().text()));
  }
}
