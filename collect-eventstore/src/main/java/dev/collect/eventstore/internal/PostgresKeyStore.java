package dev.collect.eventstore.internal;

import dev.collect.eventstore.EntityKeyStore;
import dev.collect.eventstore.EventStoreException;
import dev.collect.eventstore.StreamErasedException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Per-stream keys in a PostgreSQL table {@code <prefix>_keys}, shared by every process; a destroyed
 * key is set to NULL (a tombstone, so the stream stays erased). Keys are cached per process for
 * {@code cacheTtl}: another process stops decrypting an erased stream at most that long after.
 */
public final class PostgresKeyStore implements EntityKeyStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Cached(byte[] key, long expiresAtNanos) {}

  private final DataSource dataSource;
  private final String table;
  private final long ttlNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public PostgresKeyStore(DataSource dataSource, String tablePrefix, Duration cacheTtl) {
    PostgresSchema.checkPrefix(tablePrefix);
    this.dataSource = dataSource;
    this.table = tablePrefix + "_keys";
    this.ttlNanos = cacheTtl.toNanos();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (stream_id TEXT PRIMARY KEY, key BYTEA)");
    } catch (SQLException e) {
      // Another process created it at the same moment: IF NOT EXISTS loses that race with a
      // unique violation in the catalog or "already exists" (table or row type); the table is
      // there.
      String state = e.getSQLState();
      if (!"23505".equals(state) && !"42P07".equals(state) && !"42710".equals(state)) {
        throw new EventStoreException("cannot create the key table " + table, e);
      }
    }
  }

  @Override
  public byte[] keyFor(String streamId) {
    Cached cached = cache.get(streamId);
    if (cached != null && cached.expiresAtNanos() > System.nanoTime()) {
      return cached.key();
    }
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO " + table + " VALUES (?, ?) ON CONFLICT (stream_id) DO NOTHING")) {
      insert.setString(1, streamId);
      insert.setBytes(2, fresh);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new EventStoreException("cannot store the key of a stream in " + table, e);
    }
    // Another process may have won the insert: the stored key is the one to use.
    return find(streamId).orElseThrow(() -> new StreamErasedException(streamId));
  }

  @Override
  public Optional<byte[]> find(String streamId) {
    Cached cached = cache.get(streamId);
    if (cached != null && cached.expiresAtNanos() > System.nanoTime()) {
      return Optional.of(cached.key());
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT key FROM " + table + " WHERE stream_id = ?")) {
      q.setString(1, streamId);
      try (ResultSet rs = q.executeQuery()) {
        byte[] key = rs.next() ? rs.getBytes(1) : null;
        if (key == null) {
          cache.remove(streamId);
          return Optional.empty();
        }
        cache.put(streamId, new Cached(key, System.nanoTime() + ttlNanos));
        return Optional.of(key);
      }
    } catch (SQLException e) {
      throw new EventStoreException("cannot read the key of a stream from " + table, e);
    }
  }

  @Override
  public void destroy(String streamId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement upsert =
            c.prepareStatement(
                "INSERT INTO "
                    + table
                    + " VALUES (?, NULL) ON CONFLICT (stream_id) DO UPDATE SET key = NULL")) {
      upsert.setString(1, streamId);
      upsert.executeUpdate();
      cache.remove(streamId);
    } catch (SQLException e) {
      throw new EventStoreException("cannot destroy the key of a stream in " + table, e);
    }
  }
}
