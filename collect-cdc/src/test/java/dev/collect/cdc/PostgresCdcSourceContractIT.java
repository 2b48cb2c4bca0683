package dev.collect.cdc;

import dev.collect.core.Source;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link CdcSource} on embedded PostgreSQL: one table, slot and publication per test, one insert
 * transaction per record after the source opened (streamed changes, not a snapshot), offsets in the
 * contract's checkpoint store.
 */
class PostgresCdcSourceContractIT extends CdcSourceContract {
  private static Pg pg;
  private String table;
  private String name;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Pg.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void createTable() throws Exception {
    name = Pg.unique("contract");
    table = name + "_t";
    pg.exec("CREATE TABLE " + table + " (seq SERIAL PRIMARY KEY, id TEXT NOT NULL)");
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    for (String id : ids) {
      pg.exec("INSERT INTO " + table + " (id) VALUES ('" + id + "')");
    }
  }

  @Override
  protected Source<ChangeEvent> newSource() {
    return Cdc.source(pg.config(name, table).build());
  }
}
