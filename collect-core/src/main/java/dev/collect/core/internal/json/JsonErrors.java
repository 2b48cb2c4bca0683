package dev.collect.core.internal.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exceptions into reasons a user can act on that quote nothing of the record:
 * Jackson's own messages often do ("Unrecognized token 'alice'"), so only known, content-free parts
 * of them are kept and everything else falls back to the exception's class.
 */
final class JsonErrors {
  private static final Pattern LIMIT =
      Pattern.compile("^(?:Document )?(.+?) \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");
  private static final Pattern UTF8 =
      Pattern.compile("^Invalid UTF-8 (start|middle) byte 0x([0-9a-fA-F]+)");
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']{0,64})");
  private static final Pattern CHARACTER =
      Pattern.compile("^Unexpected character \\(.*\\(code (\\d+)");

  private JsonErrors() {}

  /** "malformed JSON for Type: reason at field 'a.b' at line 1, column 20". */
  static String describe(String typeName, IOException e) {
    StringBuilder message =
        new StringBuilder("malformed JSON for ").append(typeName).append(": ").append(reason(e));
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      message.append(" at field '").append(path(mapping)).append("'");
    }
    if (e instanceof JacksonException je) {
      JsonLocation location = je.getLocation();
      if (location != null && location.getLineNr() > 0) {
        message
            .append(" at line ")
            .append(location.getLineNr())
            .append(", column ")
            .append(location.getColumnNr());
      }
    }
    return message.toString();
  }

  private static String reason(IOException e) {
    String original = e instanceof JacksonException je ? je.getOriginalMessage() : null;
    if (e instanceof FiniteNumbers.OutOfRange) {
      return original;
    }
    if (e instanceof JsonEOFException) {
      return "unexpected end of input";
    }
    if (original != null) {
      Matcher m = LIMIT.matcher(original);
      if (m.find()) {
        return m.group(1).toLowerCase(Locale.ROOT) + " " + m.group(2) + " exceeds " + m.group(3);
      }
      if ((m = UTF8.matcher(original)).find()) {
        return "invalid UTF-8 " + m.group(1) + " byte 0x" + m.group(2).toUpperCase(Locale.ROOT);
      }
      if ((m = DUPLICATE.matcher(original)).find()) {
        return "duplicate field '" + m.group(1) + "'";
      }
      if ((m = CHARACTER.matcher(original)).find()) {
        return "unexpected character (code " + m.group(1) + ")";
      }
      if (original.startsWith("Unrecognized token")) {
        return "unrecognized token";
      }
      if (original.startsWith("Trailing token")) {
        return "content after the value";
      }
      if (original.startsWith("No content to map")) {
        return "no content";
      }
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "wrong type, expected " + mismatch.getTargetType().getSimpleName();
    }
    return e.getClass().getSimpleName();
  }

  /** The field path as {@code a.b[2].c}: names from the record's schema, no values. */
  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        String name = ref.getFieldName();
        out.append(name.length() > 64 ? name.substring(0, 64) : name);
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }
}
