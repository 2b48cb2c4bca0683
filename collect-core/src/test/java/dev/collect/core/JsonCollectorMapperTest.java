package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.collect.core.fixtures.Click;
import dev.collect.core.fixtures.Collecting;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code Collector.json(type, mapper)} leaves the caller's mapper as it was and reads with its own
 * defaults.
 */
class JsonCollectorMapperTest {

  record Reading(double value) {}

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theCallersMapperIsUnchangedAfterCreationAndUse() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    int deserializationFeatures = mapper.getDeserializationConfig().getDeserializationFeatures();
    int factoryFeatures = mapper.getFactory().getParserFeatures();
    var modules = Set.copyOf(mapper.getRegisteredModuleIds());
    Collector<byte[], Click> collector = Collector.json(Click.class, mapper);

    Collecting.collect(
        collector, utf8("{\"id\":\"e1\",\"user\":\"u\",\"type\":\"view\",\"extra\":1}"));
    Collecting.collect(Collector.json(Reading.class, mapper), utf8("{\"value\":1.5}"));

    assertThat(mapper.getDeserializationConfig().getDeserializationFeatures())
        .isEqualTo(deserializationFeatures);
    assertThat(mapper.getFactory().getParserFeatures()).isEqualTo(factoryFeatures);
    assertThat(mapper.getRegisteredModuleIds()).containsExactlyInAnyOrderElementsOf(modules);
    assertThat(mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
    assertThat(mapper.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).isFalse();
    assertThat(mapper.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)).isFalse();
    // The mapper still reads as the caller set it up: unknown fields fail, out-of-range is
    // Infinity.
    assertThatThrownBy(() -> mapper.readValue("{\"id\":\"e1\",\"extra\":1}", Click.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
    assertThat(mapper.readValue("{\"value\":1e400}", Reading.class).value())
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(mapper.readValue("{\"value\":2} x", Reading.class).value()).isEqualTo(2);
    assertThat(mapper.readTree("{\"a\":1,\"a\":2}").get("a").asInt()).isEqualTo(2);
  }

  @Test
  void theCollectorReadsWithItsDocumentedDefaultsWhateverTheMapperSays() throws Exception {
    ObjectMapper strict =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Collector<byte[], Click> collector = Collector.json(Click.class, strict);

    assertThat(
            Collecting.collect(
                collector, utf8("{\"id\":\"e1\",\"user\":\"u\",\"type\":\"view\",\"extra\":1}")))
        .containsExactly(new Click("e1", "u", "view", null));
    assertThatThrownBy(() -> Collecting.collect(collector, utf8("{\"id\":\"e1\"} x")))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> Collecting.collect(collector, utf8("{\"id\":\"e1\",\"id\":\"e2\"}")))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("duplicate field 'id'");
    assertThatThrownBy(
            () ->
                Collecting.collect(
                    Collector.json(Reading.class, strict), utf8("{\"value\":1e400}")))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void laterChangesToTheMapperDoNotReachTheCollector() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Collector<byte[], Click> collector = Collector.json(Click.class, mapper);

    mapper.setPropertyNamingStrategy(
        com.fasterxml.jackson.databind.PropertyNamingStrategies.UPPER_CAMEL_CASE);

    assertThat(
            Collecting.collect(collector, utf8("{\"id\":\"e1\",\"user\":\"u\",\"type\":\"view\"}")))
        .containsExactly(new Click("e1", "u", "view", null));
  }
}
