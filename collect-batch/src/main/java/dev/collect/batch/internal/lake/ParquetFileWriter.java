package dev.collect.batch.internal.lake;

import dev.collect.batch.Column;
import dev.collect.batch.Compression;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet through parquet-hadoop's non-Hadoop entry points ({@link LocalOutputFile}, {@link
 * PlainParquetConfiguration}), so no Hadoop jar is needed at run time.
 */
final class ParquetFileWriter extends RecordFileWriter {
  // Method handles resolve one signature; Class.getMethod would load every overload's types.
  private static final MethodHandle BUILDER;
  private static final MethodHandle WITH_CONF;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      BUILDER =
          lookup.findStatic(
              ExampleParquetWriter.class,
              "builder",
              MethodType.methodType(ExampleParquetWriter.Builder.class, OutputFile.class));
      WITH_CONF =
          lookup.findVirtual(
              ParquetWriter.Builder.class,
              "withConf",
              MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ParquetWriter<Group> writer;
  private final SimpleGroupFactory groups;
  private final List<Column> columns;

  ParquetFileWriter(Path file, Compression compression, List<Column> columns) throws IOException {
    this.columns = columns;
    MessageType schema = schema(columns);
    this.groups = new SimpleGroupFactory(schema);
    this.writer =
        hadoopFreeBuilder(file)
            .withType(schema)
            .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(codec(compression))
            .withCodecFactory(StandaloneCodecs.INSTANCE)
            .build();
  }

  /**
   * {@code ExampleParquetWriter.builder(OutputFile).withConf(ParquetConfiguration)}, called
   * reflectively because both methods are overloaded with Hadoop types, which javac would need on
   * the compile class path; at run time only the non-Hadoop overloads are used.
   */
  private static ExampleParquetWriter.Builder hadoopFreeBuilder(Path file) throws IOException {
    try {
      return (ExampleParquetWriter.Builder)
          WITH_CONF.invoke(
              BUILDER.invoke(new LocalOutputFile(file)), new PlainParquetConfiguration());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException("could not create a Parquet writer", e);
    }
  }

  static MessageType schema(List<Column> columns) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column c : columns) {
      Type.Repetition repetition =
          c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      Type field =
          switch (c.type()) {
            case STRING ->
                Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.stringType())
                    .named(c.name());
            case INT -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(c.name());
            case LONG -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(c.name());
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name());
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(c.name());
            case TIMESTAMP ->
                Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(
                        LogicalTypeAnnotation.timestampType(
                            true, LogicalTypeAnnotation.TimeUnit.MICROS))
                    .named(c.name());
            case DATE ->
                Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.dateType())
                    .named(c.name());
          };
      message.addField(field);
    }
    return message.named("record");
  }

  private static CompressionCodecName codec(Compression compression) {
    return switch (compression) {
      case NONE -> CompressionCodecName.UNCOMPRESSED;
      case SNAPPY -> CompressionCodecName.SNAPPY;
      case GZIP -> CompressionCodecName.GZIP;
      case ZSTD -> CompressionCodecName.ZSTD;
    };
  }

  @Override
  public void write(Map<String, Object> row) throws IOException {
    Group group = groups.newGroup();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      Object v = row.get(c.name());
      if (v == null) {
        continue;
      }
      // Field indexes, not names: a name costs a map lookup per value.
      switch (c.type()) {
        case STRING -> {
          String s = (String) v;
          group.add(i, s);
          counted(s.length());
        }
        case INT -> group.add(i, (Integer) v);
        case LONG -> group.add(i, (Long) v);
        case DOUBLE -> group.add(i, (Double) v);
        case BOOLEAN -> group.add(i, (Boolean) v);
        case TIMESTAMP -> group.add(i, Values.micros((Instant) v));
        case DATE -> group.add(i, (int) ((LocalDate) v).toEpochDay());
      }
      counted(8);
    }
    writer.write(group);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
