package dev.collect.batch;

import dev.collect.core.Sink;
import dev.collect.core.contract.SinkContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link JdbcSink} upserting into the local MariaDB; a value too long for its column is rejected.
 */
class JdbcSinkContractIT extends SinkContract<Map<String, Object>> {
  private DataSource db;
  private String table;

  @BeforeEach
  void createTable() throws Exception {
    db = Databases.mariadb();
    table = "contract_sink_" + Databases.unique();
    Databases.execute(
        db, "CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, note VARCHAR(8) NOT NULL)");
  }

  @AfterEach
  void dropTable() throws Exception {
    Databases.execute(db, "DROP TABLE IF EXISTS " + table);
  }

  @Override
  protected Sink<Map<String, Object>> newSink() throws Exception {
    return Jdbc.sink(
        JdbcSinkConfig.builder(db, table, List.of("id", "note")).upsertOn("id").build());
  }

  @Override
  protected Map<String, Object> record(String id) {
    return Map.of("id", id, "note", "ok");
  }

  @Override
  protected Map<String, Object> rejectedRecord(String id) {
    return Map.of("id", id, "note", "longer than eight characters");
  }

  @Override
  protected List<String> readBack() throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT id FROM " + table)) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }
}
