package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.cdc.BeforeImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class BeforeImagesTest {
  // name is NOT NULL, qty nullable.
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("qty", Schema.OPTIONAL_INT32_SCHEMA)
          .optional()
          .build();

  private static Map<String, Object> row(Integer id, String name, Integer qty) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", id);
    row.put("name", name);
    row.put("qty", qty);
    return row;
  }

  @Test
  void whatAKeyOnlyTupleBecomesIsUnknownAndKeepsOnlyTheKey() {
    // Debezium's rendering of PostgreSQL's 'K' tuple: NOT NULL text as "", nullable as null.
    Map<String, Object> before = row(1, "", null);

    assertThat(BeforeImages.classify(ROW, before, Set.of("id"))).isEqualTo(BeforeImage.UNKNOWN);
    assertThat(before).isEqualTo(Map.of("id", 1));
  }

  @Test
  void aValueOutsideTheKeyMeansTheWholeRowWithItsRealNulls() {
    Map<String, Object> before = row(1, "apple", null);

    assertThat(BeforeImages.classify(ROW, before, Set.of("id"))).isEqualTo(BeforeImage.FULL);
    assertThat(before).containsEntry("qty", null).hasSize(3);
  }

  @Test
  void aZeroInANullableColumnIsAValueTheDatabaseSent() {
    Map<String, Object> before = row(1, "", 0);

    assertThat(BeforeImages.classify(ROW, before, Set.of("id"))).isEqualTo(BeforeImage.FULL);
  }

  @Test
  void aTableOfKeyColumnsOnlyAlwaysHasItsWholeRow() {
    Map<String, Object> before = new HashMap<>(Map.of("id", 1));

    assertThat(BeforeImages.classify(ROW, before, Set.of("id"))).isEqualTo(BeforeImage.FULL);
  }

  @Test
  void zeroFalseAndEmptyInNotNullColumnsAreDebeziumsFillInsSoTheImageIsUnknown() {
    Schema row =
        SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("count", Schema.INT64_SCHEMA)
            .field("price", Schema.FLOAT64_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Decimal.schema(2))
            .field("active", Schema.BOOLEAN_SCHEMA)
            .field("label", Schema.STRING_SCHEMA)
            .field("blob", Schema.BYTES_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Map<String, Object> before = new HashMap<>();
    before.put("id", 7);
    before.put("count", 0L);
    before.put("price", 0.0d);
    before.put("amount", new java.math.BigDecimal("0.00"));
    before.put("active", false);
    before.put("label", "");
    before.put("blob", new byte[0]);
    before.put("note", null);

    assertThat(BeforeImages.classify(row, before, Set.of("id"))).isEqualTo(BeforeImage.UNKNOWN);
    assertThat(before).isEqualTo(Map.of("id", 7));
  }

  @Test
  void oneNonDefaultInANotNullColumnMakesTheImageFull() {
    for (Object[] c :
        new Object[][] {
          {Schema.INT64_SCHEMA, 1L}, {Schema.BOOLEAN_SCHEMA, true}, {Schema.STRING_SCHEMA, " "}
        }) {
      Schema row =
          SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("c", (Schema) c[0]).build();
      Map<String, Object> before = new HashMap<>();
      before.put("id", 7);
      before.put("c", c[1]);

      assertThat(BeforeImages.classify(row, before, Set.of("id")))
          .as("%s", c[1])
          .isEqualTo(BeforeImage.FULL);
    }
  }

  @Test
  void noOldRowIsNone() {
    assertThat(BeforeImages.classify(ROW, null, Set.of("id"))).isEqualTo(BeforeImage.NONE);
  }
}
