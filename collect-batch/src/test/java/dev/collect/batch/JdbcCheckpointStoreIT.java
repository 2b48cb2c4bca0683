package dev.collect.batch;

import dev.collect.core.CheckpointStore;
import dev.collect.core.CheckpointStoreContract;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Nested;

/** Core's checkpoint-store contract against every database the JDBC store supports. */
class JdbcCheckpointStoreIT {

  abstract static class Base extends CheckpointStoreContract {
    private DataSource dataSource;
    private String table;

    abstract DataSource dataSource() throws Exception;

    @Override
    protected CheckpointStore newStore() throws Exception {
      dataSource = dataSource();
      table = "cp_" + Databases.unique();
      return JdbcCheckpointStore.create(dataSource, table);
    }

    @Override
    protected CheckpointStore reopen() throws Exception {
      return JdbcCheckpointStore.create(dataSource, table);
    }
  }

  @Nested
  class OnPostgres extends Base {
    @Override
    DataSource dataSource() throws Exception {
      return Databases.postgres();
    }
  }

  @Nested
  class OnMariaDb extends Base {
    @Override
    DataSource dataSource() throws Exception {
      return Databases.mariadb();
    }
  }

  @Nested
  class OnSqlite extends Base {
    @Override
    DataSource dataSource() throws Exception {
      org.sqlite.SQLiteDataSource sqlite = new org.sqlite.SQLiteDataSource();
      sqlite.setUrl(
          "jdbc:sqlite:"
              + java.nio.file.Files.createTempFile("checkpoints", ".db")
              + "?busy_timeout=10000");
      return sqlite;
    }
  }

  @Nested
  class OnH2 extends Base {
    @Override
    DataSource dataSource() {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:checkpoints;DB_CLOSE_DELAY=-1");
      return h2;
    }
  }
}
