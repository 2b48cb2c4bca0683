package dev.collect.batch.internal.jdbc;

import dev.collect.batch.Jdbc;
import dev.collect.batch.JdbcSourceConfig;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keyset-paginated incremental reads; see {@link Jdbc#source}. */
public final class IncrementalJdbcSource implements Source<Map<String, Object>> {
  private static final int FIRST_PAGE_ROWS = 16;

  private final JdbcSourceConfig config;
  private CheckpointStore checkpoints;
  private JdbcCursor last;
  private boolean finished;

  /** Average estimated bytes of the previous page's rows, or 0 before the first page. */
  private long rowBytes;

  public IncrementalJdbcSource(JdbcSourceConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) {
    checkpoints = config.checkpoints() != null ? config.checkpoints() : context.checkpoints();
    last =
        checkpoints
            .load(config.checkpointKey())
            .map(saved -> JdbcCursor.parse(config.table(), saved))
            .orElse(null);
  }

  private String query(int limit) {
    String c = config.cursorColumn();
    String t = config.tieBreakerColumn();
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(config.table());
    String where = " WHERE ";
    if (config.slice() != null) {
      sql.append(where).append(config.slice().condition());
      where = " AND ";
    }
    if (last != null) {
      if (t == null) {
        sql.append(where).append(c).append(" > ?");
      } else {
        // "c >= ?" leads so that every optimizer scans an index on (c, t) from the cursor on;
        // the plain "c > ? OR (c = ? AND t > ?)" makes PostgreSQL scan and sort the whole table.
        sql.append(where)
            .append(c)
            .append(" >= ? AND (")
            .append(c)
            .append(" > ? OR ")
            .append(t)
            .append(" > ?)");
      }
    }
    sql.append(" ORDER BY ").append(c);
    if (t != null) {
      sql.append(", ").append(t);
    }
    return sql.append(" LIMIT ").append(limit).toString();
  }

  @Override
  public List<Envelope<Map<String, Object>>> poll(int maxRecords, Duration timeout)
      throws SQLException {
    return poll(maxRecords, Long.MAX_VALUE, timeout);
  }

  /**
   * One page: up to the page size or {@code maxRecords} rows, ending early once the rows read hold
   * {@code maxBytes}; the next page resumes after the last row read (keyset pagination).
   */
  @Override
  public List<Envelope<Map<String, Object>>> poll(int maxRecords, long maxBytes, Duration timeout)
      throws SQLException {
    if (finished) {
      return List.of();
    }
    long bytes = 0;
    boolean full = false;
    int limit = limit(maxRecords, maxBytes);
    List<Envelope<Map<String, Object>>> page = new ArrayList<>();
    try (Connection connection = config.dataSource().getConnection()) {
      // PostgreSQL streams with a fetch size only inside a transaction.
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(query(limit))) {
        statement.setFetchSize(Math.min(config.fetchSize(), limit));
        if (last != null) {
          Object cursor = CursorValues.decode(last.cursor());
          statement.setObject(1, cursor);
          if (config.tieBreakerColumn() != null) {
            statement.setObject(2, cursor);
            statement.setObject(3, CursorValues.decode(last.tie()));
          }
        }
        Instant now = Instant.now();
        try (ResultSet rs = statement.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          int cursorIndex = rs.findColumn(config.cursorColumn());
          int tieIndex =
              config.tieBreakerColumn() == null ? -1 : rs.findColumn(config.tieBreakerColumn());
          while (!full && rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              row.put(meta.getColumnLabel(i), CursorValues.read(rs, meta, i));
            }
            JdbcCursor position =
                new JdbcCursor(
                    config.table(),
                    CursorValues.encode(CursorValues.read(rs, meta, cursorIndex)),
                    tieIndex < 0
                        ? null
                        : CursorValues.encode(CursorValues.read(rs, meta, tieIndex)));
            Envelope<Map<String, Object>> record =
                Envelope.<Map<String, Object>>builder(row)
                    .source(config.name())
                    .position(position)
                    .ingestTime(now)
                    .build();
            page.add(record);
            last = position;
            bytes += record.sizeEstimate();
            full = bytes >= maxBytes;
          }
        }
      } finally {
        connection.rollback();
      }
    }
    if (!page.isEmpty()) {
      rowBytes = Math.max(1, bytes / page.size());
    }
    if (page.size() < limit && !full) {
      finished = true;
    }
    return page;
  }

  /**
   * Rows to ask for: the page size, or fewer when the byte bound would be reached first, judged by
   * the previous page's rows (the first page asks for {@value #FIRST_PAGE_ROWS} at most), so that
   * neither this source nor the driver's fetch buffer holds much more than {@code maxBytes}.
   */
  private int limit(int maxRecords, long maxBytes) {
    int limit = Math.min(config.pageSize(), maxRecords);
    if (maxBytes == Long.MAX_VALUE) {
      return limit;
    }
    long fit = rowBytes == 0 ? FIRST_PAGE_ROWS : maxBytes / rowBytes + 1;
    return (int) Math.max(1, Math.min(limit, fit));
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public void close() {
    // A connection is held only during a poll.
  }

  @Override
  public void commit(Position position) {
    if (position instanceof JdbcCursor cursor) {
      checkpoints.save(config.checkpointKey(), cursor.serialize());
    }
  }
}
