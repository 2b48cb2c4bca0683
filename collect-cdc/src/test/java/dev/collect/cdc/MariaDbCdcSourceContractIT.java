package dev.collect.cdc;

import dev.collect.core.Source;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CdcSource} on MariaDB's binlog (the machine's, else an embedded one: see {@link Maria}):
 * one table per test, one insert per record after the source opened, offsets in the contract's
 * checkpoint store, schema history in a temporary directory.
 */
class MariaDbCdcSourceContractIT extends CdcSourceContract {
  @TempDir Path dir;
  private String table;
  private String name;

  @BeforeAll
  static void startMariaDb() throws Exception {
    Maria.require("MariaDbCdcSourceContractIT");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    Maria.dropDatabase();
  }

  @BeforeEach
  void createTable() throws Exception {
    name = Pg.unique("mcontract");
    table = name + "_t";
    Maria.exec(
        Maria.DB,
        "CREATE TABLE " + table + " (seq INT AUTO_INCREMENT PRIMARY KEY, id VARCHAR(64) NOT NULL)");
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    for (String id : ids) {
      Maria.exec(Maria.DB, "INSERT INTO " + table + " (id) VALUES ('" + id + "')");
    }
  }

  @Override
  protected Source<ChangeEvent> newSource() {
    return Cdc.source(Maria.config(name, table, dir));
  }
}
