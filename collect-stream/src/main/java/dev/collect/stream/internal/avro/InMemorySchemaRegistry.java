package dev.collect.stream.internal.avro;

import dev.collect.stream.avro.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Schemas numbered from 1 in registration order; equal schemas (type and text) share an id. */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final List<TypedSchema> schemas = new ArrayList<>();

  @Override
  public synchronized Optional<TypedSchema> lookup(int id) {
    return id >= 1 && id <= schemas.size() ? Optional.of(schemas.get(id - 1)) : Optional.empty();
  }

  @Override
  public synchronized int register(String subject, TypedSchema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    int index = schemas.indexOf(schema);
    if (index >= 0) {
      return index + 1;
    }
    schemas.add(schema);
    return schemas.size();
  }
}
