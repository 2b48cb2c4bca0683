package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeEventJsonTest {
  private static final SourceInfo SOURCE =
      new SourceInfo(
          "postgresql",
          "shop",
          24023128L,
          null,
          null,
          null,
          "748",
          Instant.parse("2026-01-02T10:15:30.123Z"),
          false);

  private static ChangeEvent update() {
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("id", 7);
    before.put("qty", 1);
    before.put("note", null);
    return new ChangeEvent(
        Operation.UPDATE,
        new TableId("shop", "public", "orders"),
        Map.of("id", 7),
        before,
        BeforeImage.FULL,
        Map.of("id", 7, "qty", 2),
        Map.of("qty", new FieldChange(1, 2)),
        Set.of("body"),
        null,
        SOURCE);
  }

  @Test
  void writesTheDocumentedFieldsAndReadsTheEventBack() throws Exception {
    ChangeEvent event = update();

    String json = ChangeEventJson.toJson(event);

    JsonNode tree = ChangeEventJson.mapper().readTree(json);
    assertThat(tree.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "operation",
            "table",
            "key",
            "before",
            "beforeImage",
            "after",
            "changedFields",
            "changedFieldsKnown",
            "unavailableFields",
            "schemaChange",
            "source");
    assertThat(tree.get("changedFields").get("qty").get("oldValue").asInt()).isEqualTo(1);
    assertThat(tree.get("changedFieldsKnown").asBoolean()).isTrue();
    assertThat(tree.get("source").get("commitTime").asText()).isEqualTo("2026-01-02T10:15:30.123Z");
    assertThat(tree.get("before").has("note")).isTrue();
    assertThat(ChangeEventJson.fromJson(json)).isEqualTo(event);
  }

  @Test
  void aSchemaChangeReadsBack() {
    ChangeEvent event =
        new ChangeEvent(
            Operation.SCHEMA_CHANGE,
            new TableId("shop", null, "orders"),
            Map.of(),
            null,
            BeforeImage.NOT_APPLICABLE,
            null,
            Map.of(),
            Set.of(),
            new SchemaChange(
                "ALTER TABLE orders ADD note TEXT",
                List.of(new SchemaChange.Column("id", "INT", false)),
                List.of(
                    new SchemaChange.Column("id", "INT", false),
                    new SchemaChange.Column("note", "TEXT", true))),
            SOURCE);

    assertThat(ChangeEventJson.fromJson(ChangeEventJson.toJson(event))).isEqualTo(event);
  }

  @Test
  void byteArrayValuesAreWrittenAsBase64AndReadBackAsThatText() throws Exception {
    byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff, 'a'};
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("id", 7);
    after.put("blob", bytes);
    ChangeEvent event =
        new ChangeEvent(
            Operation.CREATE,
            new TableId("shop", "public", "files"),
            Map.of("id", 7),
            null,
            BeforeImage.NOT_APPLICABLE,
            after,
            Map.of(),
            Set.of(),
            null,
            SOURCE);

    String json = ChangeEventJson.toJson(event);

    String base64 = java.util.Base64.getEncoder().encodeToString(bytes);
    JsonNode blob = ChangeEventJson.mapper().readTree(json).get("after").get("blob");
    assertThat(blob.isTextual()).isTrue();
    assertThat(blob.asText()).isEqualTo(base64);
    assertThat(ChangeEventJson.fromJson(json).after()).containsEntry("blob", base64);
  }

  @Test
  void readingIgnoresUnknownFieldsAtEveryLevel() throws Exception {
    ChangeEvent event = update();
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            ChangeEventJson.mapper().readTree(ChangeEventJson.toJson(event));
    tree.put("addedInALaterVersion", "x");
    tree.putObject("nested").put("deep", 1);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("table")).put("catalog", "c");
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("source")).put("ts_ns", 12L);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("changedFields").get("qty"))
        .put("type", "INT");

    ChangeEvent read = ChangeEventJson.fromJson(tree.toString());

    assertThat(read).isEqualTo(event);
  }

  @Test
  void textThatIsNoChangeEventIsAClearErrorWithoutItsContent() {
    assertThatThrownBy(() -> ChangeEventJson.fromJson("{\"operation\": \"secret-value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a change event in collect-cdc's JSON form")
        .hasMessageNotContaining("secret-value");
  }
}
