package dev.collect.examples.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The same workload as {@link ClickstreamEtl}, written as plainly as possible on one thread: read a
 * line, parse, validate, transform, write. The yardstick for the SDK's overhead.
 */
public final class PlainClickstreamEtl {
  private PlainClickstreamEtl() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args[0].equals("--help")) {
      System.out.println("Usage: PlainClickstreamEtl <input.jsonl> <outdir>");
      return;
    }
    Path input = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    Files.createDirectories(outDir);
    Path output = outDir.resolve("output.jsonl");
    Path deadLetters = outDir.resolve("dead_letters.jsonl");

    ObjectMapper mapper = new ObjectMapper();
    ObjectWriter outWriter = mapper.writerFor(OutputRecord.class);
    ObjectWriter dlqWriter = mapper.writerFor(DeadLetterLine.class);
    ValidatorFactory factory =
        Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
    Validator validator = factory.getValidator();
    ClickTransform transform = new ClickTransform();
    BenchClock clock = new BenchClock("plain-loop", 1, input);

    clock.start();
    try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        BufferedWriter dlq = Files.newBufferedWriter(deadLetters, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      for (String line; (line = in.readLine()) != null; ) {
        clock.entered(++lineNo);
        ClickEvent event;
        try {
          event = mapper.readValue(line, ClickEvent.class);
        } catch (JacksonException e) {
          dlq.write(
              dlqWriter.writeValueAsString(
                  new DeadLetterLine(lineNo, DeadLetterLine.MALFORMED, line)));
          dlq.write('\n');
          continue;
        }
        Set<ConstraintViolation<ClickEvent>> violations = validator.validate(event);
        if (!violations.isEmpty()) {
          List<String> reasons = new ArrayList<>();
          for (ConstraintViolation<ClickEvent> v : violations) {
            reasons.add(v.getPropertyPath() + " " + v.getMessage());
          }
          reasons.sort(null);
          String reason = "invalid: " + String.join("; ", reasons);
          dlq.write(dlqWriter.writeValueAsString(new DeadLetterLine(lineNo, reason, line)));
          dlq.write('\n');
          continue;
        }
        out.write(outWriter.writeValueAsString(transform.apply(event)));
        out.write('\n');
      }
    }
    clock.stop();
    clock.report(output, deadLetters);
  }
}
