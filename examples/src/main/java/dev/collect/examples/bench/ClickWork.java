package dev.collect.examples.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The workload's per-line work for the hand-written loops (plain, threaded, Kafka consumers): parse
 * the raw bytes with Jackson, validate with Hibernate Validator, transform, and serialise the
 * output or dead-letter line, exactly as the SDK's pipeline does. Not thread-safe: one per thread.
 */
final class ClickWork {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Validator VALIDATOR =
      Validation.byProvider(HibernateValidator.class)
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  private final ObjectReader reader = MAPPER.readerFor(ClickEvent.class);
  private final ObjectWriter outWriter = MAPPER.writerFor(OutputRecord.class);
  private final ObjectWriter dlqWriter = MAPPER.writerFor(DeadLetterLine.class);
  private final ClickTransform transform = new ClickTransform();

  /**
   * Processes one input line: its output line to {@code out}, or its dead-letter line to {@code
   * dlq}, each {@code \n}-terminated. True when the line was valid.
   */
  boolean process(long lineNo, byte[] line, ByteArrayOutputStream out, ByteArrayOutputStream dlq)
      throws IOException {
    ClickEvent event;
    try {
      event = reader.readValue(line);
    } catch (JacksonException e) {
      deadLetter(lineNo, DeadLetterLine.MALFORMED, line, dlq);
      return false;
    }
    Set<ConstraintViolation<ClickEvent>> violations = VALIDATOR.validate(event);
    if (!violations.isEmpty()) {
      List<String> reasons = new ArrayList<>(violations.size());
      for (ConstraintViolation<ClickEvent> v : violations) {
        reasons.add(v.getPropertyPath() + " " + v.getMessage());
      }
      reasons.sort(null);
      deadLetter(lineNo, "invalid: " + String.join("; ", reasons), line, dlq);
      return false;
    }
    outWriter.writeValue(out, transform.apply(event));
    out.write('\n');
    return true;
  }

  private void deadLetter(long lineNo, String reason, byte[] line, ByteArrayOutputStream dlq)
      throws IOException {
    String raw = new String(line, StandardCharsets.UTF_8);
    dlqWriter.writeValue(dlq, new DeadLetterLine(lineNo, reason, raw));
    dlq.write('\n');
  }
}
