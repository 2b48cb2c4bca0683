package dev.collect.stream.avro;

import dev.collect.stream.internal.avro.HttpSchemaRegistry;
import dev.collect.stream.internal.avro.InMemorySchemaRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Schemas by the numeric ids that the registry wire format carries ({@link Avro#registry}).
 *
 * <p>Implementations are thread-safe. A schema id names one schema for good, so callers may cache
 * what {@link #schema} returns.
 */
public interface SchemaRegistry {

  /**
   * The schema with this id, or empty when the registry has none.
   *
   * @throws IOException when the registry cannot be asked (a transient failure: the record is
   *     retried, not dead-lettered as unknown)
   */
  Optional<Schema> schema(int id) throws IOException;

  /**
   * Registers {@code schema} under {@code subject} (or finds it there) and returns its id.
   *
   * @throws IOException when the registry cannot be asked or refuses the schema
   */
  int register(String subject, Schema schema) throws IOException;

  /**
   * A registry in this process, numbering schemas from 1 in the order they are first registered;
   * registering an equal schema again returns its id. For tests and for applications that fix their
   * schemas in code.
   */
  static SchemaRegistry inMemory() {
    return new InMemorySchemaRegistry();
  }

  /**
   * A client of a registry speaking the Confluent-compatible REST API ({@code GET
   * /schemas/ids/{id}}, {@code POST /subjects/{subject}/versions}), such as Confluent Schema
   * Registry or Apicurio Registry's {@code /apis/ccompat/v7} endpoint. Schemas are cached by id; a
   * 404 is an unknown id, any other failure an {@link IOException}.
   *
   * @param baseUri the API's base, e.g. {@code http://registry:8080/apis/ccompat/v7}
   */
  static SchemaRegistry http(URI baseUri) {
    return new HttpSchemaRegistry(baseUri);
  }
}
