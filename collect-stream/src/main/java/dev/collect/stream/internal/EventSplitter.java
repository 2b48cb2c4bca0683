package dev.collect.stream.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.collect.core.MalformedRecordException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into the exact bytes of its events: one JSON object, a JSON array of
 * objects, or objects separated by whitespace/newlines (NDJSON). Checks the whole body's syntax and
 * UTF-8 with Jackson's streaming parser without building trees. Stateless and thread-safe.
 */
final class EventSplitter {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private EventSplitter() {}

  /**
   * The events' bytes.
   *
   * @throws MalformedRecordException with a reason fit for the sender (no content echoed)
   */
  static List<byte[]> split(byte[] body, int maxEvents) {
    List<byte[]> events = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(body)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new MalformedRecordException("empty body: send a JSON object, array or NDJSON");
      }
      if (token == JsonToken.START_ARRAY) {
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
          addObject(parser, token, body, events, maxEvents);
        }
        if (parser.nextToken() != null) {
          throw new MalformedRecordException("content after the closing ']' of the array");
        }
      } else {
        while (token != null) {
          addObject(parser, token, body, events, maxEvents);
          token = parser.nextToken();
        }
      }
    } catch (IOException e) {
      // Jackson's message names the line and column, never the content.
      String where =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                  && jpe.getLocation() != null
              ? " at line "
                  + jpe.getLocation().getLineNr()
                  + ", column "
                  + jpe.getLocation().getColumnNr()
              : "";
      throw new MalformedRecordException("malformed JSON" + where, e);
    }
    if (events.isEmpty()) {
      throw new MalformedRecordException("no events: the array is empty");
    }
    return events;
  }

  private static void addObject(
      JsonParser parser, JsonToken token, byte[] body, List<byte[]> events, int maxEvents)
      throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw new MalformedRecordException(
          "event " + (events.size() + 1) + " is not a JSON object but " + token);
    }
    if (events.size() >= maxEvents) {
      throw new MalformedRecordException("more than " + maxEvents + " events in one request");
    }
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    int end = (int) parser.currentLocation().getByteOffset();
    events.add(Arrays.copyOfRange(body, start, end));
  }
}
