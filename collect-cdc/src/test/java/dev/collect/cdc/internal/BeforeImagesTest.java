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
  void noOldRowIsNone() {
    assertThat(BeforeImages.classify(ROW, null, Set.of("id"))).isEqualTo(BeforeImage.NONE);
  }
}
