package dev.collect.stream.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecordBase;

/** A generated-style Avro SpecificRecord, written by hand in the shape avro-compiler emits. */
public class SpecificClick extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      SchemaBuilder.record("SpecificClick")
          .namespace("dev.collect.stream.avro")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .endRecord();

  private CharSequence eventId;
  private long userId;

  public SpecificClick() {}

  public SpecificClick(CharSequence eventId, long userId) {
    this.eventId = eventId;
    this.userId = userId;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    return switch (field) {
      case 0 -> eventId;
      case 1 -> userId;
      default -> throw new IndexOutOfBoundsException("no field " + field);
    };
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0 -> eventId = (CharSequence) value;
      case 1 -> userId = (Long) value;
      default -> throw new IndexOutOfBoundsException("no field " + field);
    }
  }
}
