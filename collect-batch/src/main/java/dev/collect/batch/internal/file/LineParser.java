package dev.collect.batch.internal.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.collect.core.MalformedRecordException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one line into a record; failures are {@link MalformedRecordException}s without content. */
abstract class LineParser {
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** The record of a data line. */
  abstract Map<String, Object> parse(byte[] line);

  /** Whether the first line of each file is a header (consumed by {@link #header}). */
  boolean hasHeader() {
    return false;
  }

  /** Reads a header line. */
  void header(byte[] line) {}

  String text(byte[] line) {
    try {
      return utf8.decode(ByteBuffer.wrap(line)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedRecordException("the line is not valid UTF-8", e);
    }
  }

  static LineParser jsonLines() {
    return new Json();
  }

  static LineParser csv(char separator) {
    return new Csv(separator);
  }

  private static final class Json extends LineParser {
    private static final ObjectReader READER =
        new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .readerFor(new TypeReference<LinkedHashMap<String, Object>>() {});

    @Override
    Map<String, Object> parse(byte[] line) {
      String text = text(line);
      if (text.isBlank()) {
        throw new MalformedRecordException("the line is empty");
      }
      if (!text.stripLeading().startsWith("{")) {
        throw new MalformedRecordException("the line is not a JSON object");
      }
      try {
        return READER.readValue(text);
      } catch (IOException e) {
        throw new MalformedRecordException(
            "malformed JSON: "
                + e.getClass().getSimpleName()
                + " at column "
                + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                        && j.getLocation() != null
                    ? j.getLocation().getColumnNr()
                    : -1));
      }
    }
  }

  private static final class Csv extends LineParser {
    private static final CsvMapper MAPPER = new CsvMapper();
    private final ObjectReader reader;
    private List<String> columns;

    Csv(char separator) {
      this.reader =
          MAPPER
              .readerForListOf(String.class)
              .with(CsvSchema.emptySchema().withColumnSeparator(separator));
    }

    @Override
    boolean hasHeader() {
      return true;
    }

    @Override
    void header(byte[] line) {
      columns = fields(line);
      if (columns.isEmpty() || columns.stream().anyMatch(c -> c == null || c.isBlank())) {
        throw new MalformedRecordException("the CSV header has an empty column name");
      }
    }

    private List<String> fields(byte[] line) {
      String text = text(line);
      try {
        List<String> values = reader.readValue(text);
        return values == null ? List.of() : values;
      } catch (IOException e) {
        throw new MalformedRecordException("malformed CSV: " + e.getClass().getSimpleName());
      }
    }

    @Override
    Map<String, Object> parse(byte[] line) {
      if (columns == null) {
        throw new MalformedRecordException("the file has no readable CSV header");
      }
      List<String> values = fields(line);
      if (values.size() != columns.size()) {
        throw new MalformedRecordException(
            "expected " + columns.size() + " CSV columns but found " + values.size());
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        String v = values.get(i);
        row.put(columns.get(i), v == null || v.isEmpty() ? null : v);
      }
      return row;
    }
  }
}
