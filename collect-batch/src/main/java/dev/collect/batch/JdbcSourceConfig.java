package dev.collect.batch;

import dev.collect.core.CheckpointStore;
import dev.collect.core.spi.Checks;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link Jdbc#source JDBC source}. Immutable; build with {@link #builder(DataSource,
 * String, String)}.
 *
 * @param dataSource where to read
 * @param table the table or view
 * @param cursorColumn the increasing column
 * @param tieBreakerColumn a unique column ordering rows with equal cursors, or null if the cursor
 *     is unique
 * @param pageSize rows per query; default {@value #DEFAULT_PAGE_SIZE}
 * @param fetchSize the JDBC fetch size; default the page size
 * @param checkpoints where the cursor is kept, or null for the pipeline's store
 * @param checkpointKey the key of the cursor; default {@code jdbc:<table>} (with a slice {@code
 *     jdbc:<table>#<index>/<count>})
 * @param name the source's name; default as the key
 * @param slice the rows this source reads, or null for all of them
 */
public record JdbcSourceConfig(
    DataSource dataSource,
    String table,
    String cursorColumn,
    @Nullable String tieBreakerColumn,
    int pageSize,
    int fetchSize,
    @Nullable CheckpointStore checkpoints,
    String checkpointKey,
    String name,
    @Nullable Slice slice) {

  /** Default rows per keyset page. */
  public static final int DEFAULT_PAGE_SIZE = 1000;

  /** Checks the settings. */
  public JdbcSourceConfig {
    Objects.requireNonNull(dataSource, "dataSource");
    SqlDialect.identifier(table);
    SqlDialect.identifier(cursorColumn);
    if (tieBreakerColumn != null) {
      SqlDialect.identifier(tieBreakerColumn);
    }
    Checks.positive("pageSize", pageSize);
    Checks.positive("fetchSize", fetchSize);
    Checks.notBlank("checkpointKey", checkpointKey);
    Checks.notBlank("name", name);
  }

  /** A builder reading {@code table} incrementally by {@code cursorColumn}, with the defaults. */
  public static Builder builder(DataSource dataSource, String table, String cursorColumn) {
    return new Builder(dataSource, table, cursorColumn);
  }

  /**
   * One of {@code count} disjoint parts of a table: the rows whose integer key column {@code k} has
   * {@code floorMod(k, count) == index}, evaluated by the database ({@code ((k % count) + count) %
   * count = index}), so each slice reads only its own rows and the {@code count} slices together
   * read every row exactly once.
   *
   * <p>The key itself is taken modulo {@code count}, not a hash of it: PostgreSQL, MariaDB, H2 and
   * SQLite share no hash function, and a database-side hash would have to agree across all four.
   * Plain arithmetic does, and it spreads the usual sequence or identity keys evenly (consecutive
   * keys go round-robin over the slices). Limits: the key must be an integer column whose value
   * never changes (a row whose key changes between runs may move to another slice); keys with a
   * common stride (all even, say, with an even count) fill some slices and leave others empty: pick
   * a count coprime with the stride, or another key. The key need not be the cursor column.
   *
   * @param keyColumn the integer column that decides a row's slice
   * @param index this slice, {@code 0 <= index < count}
   * @param count the number of slices, at least 1
   */
  public record Slice(String keyColumn, int index, int count) {
    /** Checks the arguments. */
    public Slice {
      keyColumn = SqlDialect.identifier(keyColumn);
      Checks.positive("count", count);
      if (index < 0 || index >= count) {
        throw new IllegalArgumentException(
            "slice index must be in [0, " + count + "), but was " + index);
      }
    }

    /** The SQL condition selecting this slice's rows (only checked identifiers and integers). */
    public String condition() {
      return "((" + keyColumn + " % " + count + ") + " + count + ") % " + count + " = " + index;
    }

    /** Whether a row with key {@code key} belongs to this slice. */
    public boolean contains(long key) {
      return Math.floorMod(key, count) == index;
    }
  }

  /** Builds a {@link JdbcSourceConfig}; mutable, not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String table;
    private final String cursorColumn;
    private @Nullable String tieBreaker;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int fetchSize = -1;
    private @Nullable CheckpointStore checkpoints;
    private @Nullable String checkpointKey;
    private @Nullable String name;
    private @Nullable Slice slice;

    private Builder(DataSource dataSource, String table, String cursorColumn) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.table = SqlDialect.identifier(table);
      this.cursorColumn = SqlDialect.identifier(cursorColumn);
    }

    /** A unique column ordering rows with equal cursor values (e.g. {@code id}); default none. */
    public Builder tieBreaker(String column) {
      this.tieBreaker = SqlDialect.identifier(column);
      return this;
    }

    /** Rows per keyset page; default {@value #DEFAULT_PAGE_SIZE}. */
    public Builder pageSize(int value) {
      Checks.positive("pageSize", value);
      this.pageSize = value;
      return this;
    }

    /** The JDBC fetch size; default the page size. */
    public Builder fetchSize(int value) {
      Checks.positive("fetchSize", value);
      this.fetchSize = value;
      return this;
    }

    /**
     * Where the cursor is kept under {@code key}; default the pipeline's store, key {@code
     * jdbc:<table>}.
     */
    public Builder checkpoints(CheckpointStore store, String key) {
      this.checkpoints = Objects.requireNonNull(store, "store");
      this.checkpointKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Reads only slice {@code index} of {@code count} by {@code keyColumn} (see {@link Slice}), so
     * that {@code count} processes, each with another index, extract the table together. The
     * default checkpoint key and name become {@code jdbc:<table>#<index>/<count>}: each slice
     * resumes from its own cursor. Default: the whole table.
     */
    public Builder slice(String keyColumn, int index, int count) {
      this.slice = new Slice(keyColumn, index, count);
      return this;
    }

    /** The source's name; default {@code jdbc:<table>}. */
    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    /** The settings. */
    public JdbcSourceConfig build() {
      return new JdbcSourceConfig(
          dataSource,
          table,
          cursorColumn,
          tieBreaker,
          pageSize,
          fetchSize > 0 ? fetchSize : pageSize,
          checkpoints,
          checkpointKey != null ? checkpointKey : defaultName(),
          name != null ? name : defaultName(),
          slice);
    }

    private String defaultName() {
      Slice s = slice;
      return s == null ? "jdbc:" + table : "jdbc:" + table + "#" + s.index() + "/" + s.count();
    }
  }
}
