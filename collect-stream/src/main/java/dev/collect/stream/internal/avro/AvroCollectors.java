package dev.collect.stream.internal.avro;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.RejectedRecordException;
import dev.collect.stream.avro.Avro;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.avro.SchemaRegistry.SchemaType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.SchemaStore;

/** The Avro collectors: plain binary, single-object encoding and the registry wire format. */
public final class AvroCollectors {
  /** The two marker bytes of Avro single-object encoding. */
  static final byte SINGLE_OBJECT_0 = (byte) 0xC3;

  static final byte SINGLE_OBJECT_1 = (byte) 0x01;

  private AvroCollectors() {}

  /** Avro binary with one known writer schema. */
  public static Collector<byte[], GenericRecord> binary(Schema writer, Schema reader) {
    Readers readers = Readers.of(writer, reader).requireCompatible();
    return (input, output) -> output.emit(readers.read(bytes(input), 0, "Avro binary"));
  }

  /** Single-object encoding: C3 01, the writer schema's CRC-64-AVRO fingerprint, the datum. */
  public static Collector<byte[], GenericRecord> singleObject(SchemaStore store, Schema reader) {
    Map<Long, Readers> cache = new ConcurrentHashMap<>();
    return (input, output) -> {
      byte[] bytes = bytes(input);
      if (bytes.length < 10 || bytes[0] != SINGLE_OBJECT_0 || bytes[1] != SINGLE_OBJECT_1) {
        throw new MalformedRecordException(
            "not Avro single-object encoding: no C3 01 header and 8-byte fingerprint");
      }
      long fingerprint = 0;
      for (int i = 9; i >= 2; i--) {
        fingerprint = (fingerprint << 8) | (bytes[i] & 0xFFL);
      }
      Readers readers = cache.get(fingerprint);
      if (readers == null) {
        Schema writer = store.findByFingerprint(fingerprint);
        if (writer == null) {
          throw new RejectedRecordException(
              Avro.REASON_UNKNOWN_SCHEMA,
              "no schema with fingerprint "
                  + String.format("%016x", fingerprint)
                  + " in the store");
        }
        readers = cache.computeIfAbsent(fingerprint, f -> Readers.of(writer, reader));
      }
      output.emit(readers.read(bytes, 10, "Avro single-object"));
    };
  }

  /** The registry wire format: magic byte 0, a 4-byte big-endian schema id, the datum. */
  public static Collector<byte[], GenericRecord> registry(SchemaRegistry registry, Schema reader) {
    WriterSchemas<Readers> writers =
        new WriterSchemas<>(
            registry, SchemaType.AVRO, text -> Readers.of(new Schema.Parser().parse(text), reader));
    return (input, output) -> {
      byte[] bytes = bytes(input);
      if (bytes.length < WriterSchemas.HEADER || bytes[0] != WriterSchemas.MAGIC) {
        throw new MalformedRecordException(
            "not in the schema-registry wire format: no magic byte 0 and 4-byte schema id");
      }
      Readers readers = writers.get(WriterSchemas.schemaId(bytes));
      output.emit(readers.read(bytes, WriterSchemas.HEADER, "Avro (registry wire format)"));
    };
  }

  private static byte[] bytes(Envelope<byte[]> input) {
    byte[] bytes = input.value();
    if (bytes == null) {
      throw new MalformedRecordException(
          "no Avro bytes: the record has a null value (a tombstone)");
    }
    return bytes;
  }
}
