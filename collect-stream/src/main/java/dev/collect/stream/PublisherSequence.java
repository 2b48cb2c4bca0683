package dev.collect.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.spi.Checks;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A message's place in its publisher's numbering. Publishers that number their messages 0, 1, 2...
 * (each publisher on its own, in publishing order) let the MQTT source notice messages a broker
 * dropped: declare where the number is with {@link MqttSourceConfig.Builder#sequence(Extractor)}.
 *
 * @param publisher who numbered the message (a device id, the topic...); a publisher that starts
 *     counting again (a device reboot) should use a new id, e.g. with a boot count in it
 * @param number the message's number
 */
public record PublisherSequence(String publisher, long number) {

  public PublisherSequence {
    Checks.notBlank("publisher", publisher);
  }

  /**
   * Finds a message's number, or returns null (or throws) when the message has none; such messages
   * are delivered as usual and only skipped by the detection. Called on the MQTT client's receiving
   * thread, once per message: keep it cheap.
   */
  @FunctionalInterface
  public interface Extractor {
    @Nullable PublisherSequence of(String topic, byte[] payload) throws Exception;
  }

  /**
   * Publisher = the topic, number = the top-level integer field {@code field} of a JSON object
   * payload: for publishers that each have their own topic, e.g. {@code sensors/<device-id>}.
   */
  public static Extractor jsonField(String field) {
    Checks.notBlank("field", field);
    ObjectMapper json = new ObjectMapper();
    return (topic, payload) -> {
      JsonNode number = readTree(json, payload).get(field);
      return number != null && number.canConvertToLong()
          ? new PublisherSequence(topic, number.asLong())
          : null;
    };
  }

  private static JsonNode readTree(ObjectMapper json, byte[] payload) throws IOException {
    return json.readTree(payload);
  }
}
