package dev.collect.stream.avro;

import dev.collect.stream.internal.avro.HttpSchemaRegistry;
import dev.collect.stream.internal.avro.InMemorySchemaRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Schemas by the numeric ids that the registry wire format carries: Avro schemas for {@link
 * Avro#registry}, {@code .proto} files for {@code Protobuf.registryCollector(registry, type)}.
 *
 * <p>A registry holds each schema as its {@linkplain SchemaType type} and its text ({@link
 * TypedSchema}); {@link #schema(int)} and {@link #register(String, Schema)} are the Avro shorthand.
 * Implementations are thread-safe. A schema id names one schema for good, so callers may cache what
 * {@link #lookup} returns.
 */
public interface SchemaRegistry {

  /** The language of a schema: the registry's {@code schemaType}. */
  enum SchemaType {
    /** An Avro schema (JSON); the default when a registry names no type. */
    AVRO,
    /** A {@code .proto} file. */
    PROTOBUF,
    /** A JSON Schema; Collect can look these up but has no collector for them. */
    JSON
  }

  /**
   * A schema as the registry holds it.
   *
   * @param type its language
   * @param text its source: Avro's JSON, the {@code .proto} file, the JSON Schema
   */
  record TypedSchema(SchemaType type, String text) {
    public TypedSchema {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * The schema with this id, of any type, or empty when the registry has none.
   *
   * @throws IOException when the registry cannot be asked (a transient failure: the record is
   *     retried, not dead-lettered as unknown)
   */
  Optional<TypedSchema> lookup(int id) throws IOException;

  /**
   * Registers {@code schema} under {@code subject} (or finds it there) and returns its id.
   *
   * @throws IOException when the registry cannot be asked or refuses the schema
   */
  int register(String subject, TypedSchema schema) throws IOException;

  /**
   * The Avro schema with this id, or empty when the registry has none.
   *
   * @throws IOException when the registry cannot be asked
   * @throws IllegalArgumentException when the id names a schema of another type
   */
  default Optional<Schema> schema(int id) throws IOException {
    Optional<TypedSchema> found = lookup(id);
    if (found.isPresent() && found.get().type() != SchemaType.AVRO) {
      throw new IllegalArgumentException(
          "schema id " + id + " names a schema of type " + found.get().type() + ", not AVRO");
    }
    return found.map(s -> new Schema.Parser().parse(s.text()));
  }

  /**
   * Registers the Avro {@code schema} under {@code subject} (or finds it there) and returns its id.
   *
   * @throws IOException when the registry cannot be asked or refuses the schema
   */
  default int register(String subject, Schema schema) throws IOException {
    Objects.requireNonNull(schema, "schema");
    return register(subject, new TypedSchema(SchemaType.AVRO, schema.toString()));
  }

  /**
   * A registry in this process, numbering schemas from 1 in the order they are first registered;
   * registering an equal schema (same type and text) again returns its id. For tests and for
   * applications that fix their schemas in code.
   */
  static SchemaRegistry inMemory() {
    return new InMemorySchemaRegistry();
  }

  /**
   * A client of a registry speaking the Confluent-compatible REST API ({@code GET
   * /schemas/ids/{id}}, {@code POST /subjects/{subject}/versions} with the {@code schemaType}),
   * such as Confluent Schema Registry or Apicurio Registry's {@code /apis/ccompat/v7} endpoint.
   * Schemas are cached by id; a 404 is an unknown id, any other failure an {@link IOException}.
   *
   * @param baseUri the API's base, e.g. {@code http://registry:8080/apis/ccompat/v7}
   */
  static SchemaRegistry http(URI baseUri) {
    return new HttpSchemaRegistry(baseUri);
  }
}
