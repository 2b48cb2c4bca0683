package dev.collect.stream.internal.avro;

import dev.collect.core.MalformedRecordException;
import dev.collect.core.RejectedRecordException;
import dev.collect.stream.avro.Avro;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads Avro binary written with one writer schema into records of the reader schema, after
 * checking once that the two are compatible. Thread-safe: Avro's {@link GenericDatumReader} keeps
 * its resolving decoders per thread.
 */
final class Readers {
  private final Schema writer;
  private final GenericDatumReader<GenericRecord> reader;
  private final String incompatibility;

  private Readers(Schema writer, GenericDatumReader<GenericRecord> reader, String incompatibility) {
    this.writer = writer;
    this.reader = reader;
    this.incompatibility = incompatibility;
  }

  /** A reader of data written with {@code writer} into {@code reader} (the writer's if null). */
  static Readers of(Schema writer, Schema reader) {
    Schema target = reader == null ? writer : reader;
    if (target.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "an Avro collector reads records, but the schema is a " + target.getType());
    }
    SchemaCompatibility.SchemaPairCompatibility check =
        SchemaCompatibility.checkReaderWriterCompatibility(target, writer);
    if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new Readers(
          writer,
          null,
          "writer schema "
              + writer.getFullName()
              + " cannot be read as "
              + target.getFullName()
              + ": "
              + check.getResult().getIncompatibilities().stream()
                  .map(i -> i.getType() + " at " + i.getLocation())
                  .toList());
    }
    return new Readers(writer, new GenericDatumReader<>(writer, target, GenericData.get()), null);
  }

  /** Fails eagerly when a fixed writer and reader schema do not fit. */
  Readers requireCompatible() {
    if (incompatibility != null) {
      throw new IllegalArgumentException(incompatibility);
    }
    return this;
  }

  /** Decodes exactly {@code bytes[offset..]}; anything else fails the record as malformed. */
  GenericRecord read(byte[] bytes, int offset, String format) {
    if (incompatibility != null) {
      throw new RejectedRecordException(Avro.REASON_INCOMPATIBLE_SCHEMA, incompatibility);
    }
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
    GenericRecord record;
    try {
      record = reader.read(null, decoder);
    } catch (java.io.IOException | RuntimeException e) {
      // EOF, a bad union index, a negative length, a length past Avro's limits: the bytes are bad.
      throw new MalformedRecordException(
          "malformed "
              + format
              + " for "
              + writer.getFullName()
              + ": "
              + e.getClass().getSimpleName(),
          e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new MalformedRecordException(
            "malformed "
                + format
                + " for "
                + writer.getFullName()
                + ": trailing bytes after the record");
      }
    } catch (java.io.IOException e) {
      throw new MalformedRecordException("malformed " + format + ": " + e.getMessage(), e);
    }
    return record;
  }
}
