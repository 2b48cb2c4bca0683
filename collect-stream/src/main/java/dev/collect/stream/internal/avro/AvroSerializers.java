package dev.collect.stream.internal.avro;

import dev.collect.stream.RecordSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;

/** Avro serialisers for the Kafka sink; each writes every record with one schema. */
public final class AvroSerializers {
  private AvroSerializers() {}

  /** Plain Avro binary. */
  public static RecordSerializer<IndexedRecord> binary(Schema schema) {
    return framed(schema, new byte[0]);
  }

  /** Single-object encoding: C3 01, the schema's CRC-64-AVRO fingerprint (little-endian). */
  public static RecordSerializer<IndexedRecord> singleObject(Schema schema) {
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    byte[] header = new byte[10];
    header[0] = AvroCollectors.SINGLE_OBJECT_0;
    header[1] = AvroCollectors.SINGLE_OBJECT_1;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return framed(schema, header);
  }

  /** The registry wire format: magic byte 0, the 4-byte big-endian schema id. */
  public static RecordSerializer<IndexedRecord> registry(Schema schema, int id) {
    return framed(schema, WriterSchemas.header(id));
  }

  private static RecordSerializer<IndexedRecord> framed(Schema schema, byte[] header) {
    // SpecificData reads generic and generated (specific) records alike.
    GenericDatumWriter<IndexedRecord> writer = new GenericDatumWriter<>(schema, SpecificData.get());
    return value -> {
      if (value == null) {
        return null;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 + header.length);
      out.write(header);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      write(writer, value, encoder);
      return out.toByteArray();
    };
  }

  private static void write(
      GenericDatumWriter<IndexedRecord> writer, IndexedRecord value, BinaryEncoder encoder)
      throws IOException {
    writer.write(value, encoder);
    encoder.flush();
  }
}
