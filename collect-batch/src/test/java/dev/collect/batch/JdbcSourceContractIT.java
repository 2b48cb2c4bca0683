package dev.collect.batch;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link JdbcSource} on the local MariaDB, in pages of 3; a fault is the table renamed away. */
class JdbcSourceContractIT extends SourceContract<Map<String, Object>> {
  private DataSource db;
  private String table;
  private int seq;

  @BeforeEach
  void createTable() throws Exception {
    db = Databases.mariadb();
    table = "contract_src_" + Databases.unique();
    Databases.execute(db, "CREATE TABLE " + table + " (seq INT PRIMARY KEY, id VARCHAR(40))");
  }

  @AfterEach
  void dropTable() throws Exception {
    Databases.execute(db, "DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + table + "_x");
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO " + table + " (seq, id) VALUES (?, ?)")) {
      for (String id : ids) {
        insert.setInt(1, seq++);
        insert.setString(2, id);
        insert.executeUpdate();
      }
    }
  }

  @Override
  protected Source<Map<String, Object>> newSource() {
    return Jdbc.source(
        JdbcSourceConfig.builder(db, table, "seq")
            .pageSize(3)
            .checkpoints(checkpoints, "rows")
            .build());
  }

  @Override
  protected String idOf(Envelope<Map<String, Object>> envelope) {
    return (String) envelope.value().get("id");
  }

  @Override
  protected boolean isBounded() {
    return true;
  }

  @Override
  protected boolean breakInput() throws Exception {
    Databases.execute(db, "RENAME TABLE " + table + " TO " + table + "_x");
    return true;
  }

  @Override
  protected void repairInput() throws Exception {
    Databases.execute(db, "RENAME TABLE " + table + "_x TO " + table);
  }
}
