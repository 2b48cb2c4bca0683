package dev.collect.core.internal.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.internal.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Dead letters as JSON lines, through a {@link JsonLinesFileSink}: the full {@link DeadLetter}, or
 * what a formatter makes of it.
 */
public final class JsonLinesDeadLetterSink implements DeadLetterSink {
  private final JsonLinesFileSink<Object> file;
  private final Function<? super DeadLetter, ?> formatter;

  /** The full dead letter, every field. */
  public JsonLinesDeadLetterSink(Path path) {
    this(path, null);
  }

  /** What {@code formatter} returns for each dead letter, written with Collect's mapper. */
  @SuppressWarnings("unchecked")
  public JsonLinesDeadLetterSink(Path path, Function<? super DeadLetter, ?> formatter) {
    this.formatter = formatter;
    JsonLinesFileSink.Builder<Object> builder =
        JsonLinesFileSink.builder(path)
            .name("dead-letters:" + path.getFileName())
            .mapper(Json.mapper());
    if (formatter == null) {
      // Every value is a DeadLetter then: a writer for the declared type skips a lookup per line.
      builder.type((Class<? super Object>) (Class<?>) DeadLetter.class);
    }
    this.file = builder.build();
  }

  /**
   * A formatter that keeps only {@code fields} of each dead letter, in {@link DeadLetter}'s order.
   *
   * @throws IllegalArgumentException if {@code fields} is empty or names a field DeadLetter lacks
   */
  public static Function<DeadLetter, ObjectNode> fields(Set<String> fields) {
    Set<String> known =
        Arrays.stream(DeadLetter.class.getRecordComponents())
            .map(c -> c.getName())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (Objects.requireNonNull(fields, "fields").isEmpty()) {
      throw new IllegalArgumentException("fields must name at least one of " + known);
    }
    for (String field : fields) {
      if (!known.contains(field)) {
        throw new IllegalArgumentException(
            "fields: no dead-letter field '" + field + "'; the fields are " + known);
      }
    }
    Set<String> keep = Set.copyOf(fields);
    return letter -> {
      ObjectNode node = Json.mapper().valueToTree(letter);
      node.retain(keep);
      return node;
    };
  }

  @Override
  public String name() {
    return file.name();
  }

  @Override
  public void write(List<DeadLetter> letters) throws Exception {
    List<Envelope<Object>> batch = new ArrayList<>(letters.size());
    for (DeadLetter letter : letters) {
      batch.add(Envelope.of(formatter == null ? letter : formatter.apply(letter)));
    }
    file.write(batch);
  }

  @Override
  public void flush() throws Exception {
    file.flush();
  }

  @Override
  public void close() throws Exception {
    file.close();
  }
}
