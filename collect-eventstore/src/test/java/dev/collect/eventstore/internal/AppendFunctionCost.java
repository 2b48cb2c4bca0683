package dev.collect.eventstore.internal;

import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.PostgresEventStoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * By hand, not a test: the server and client CPU of one append call, the append function of the
 * previous round ("before") and the current one, alternated on one connection of one embedded
 * server: {@code main [calls=2000] [rounds=5] [batch=1]}.
 */
public final class AppendFunctionCost {
  private AppendFunctionCost() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
        Connection c = pg.getPostgresDatabase().getConnection()) {
      // "before": the tables of PostgresSchema with the previous round's function
      EventStore.postgres(
              PostgresEventStoreConfig.builder(pg.getPostgresDatabase())
                  .tablePrefix("before")
                  .build())
          .close();
      EventStore.postgres(
              PostgresEventStoreConfig.builder(pg.getPostgresDatabase())
                  .tablePrefix("after")
                  .build())
          .close();
      try (Statement s = c.createStatement()) {
        s.execute(oldFunction("before"));
        s.execute(
            "CREATE TABLE plain_events (position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " stream_id TEXT NOT NULL, stream_version BIGINT NOT NULL,"
                + " event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data BYTEA NOT NULL,"
                + " recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),"
                + " UNIQUE (stream_id, stream_version))");
      }
      String def;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('after_append'::regproc)")) {
        rs.next();
        def = rs.getString(1);
        if (Boolean.getBoolean("printdef")) {
          System.out.println(def);
        }
      }
      String[] variants =
          System.getProperty("variants", "").isEmpty()
              ? new String[0]
              : System.getProperty("variants").split("@@");
      java.util.List<String> names =
          new java.util.ArrayList<>(java.util.List.of("plain", "before", "after"));
      for (int v = 0; v < variants.length; v++) {
        String text = def.replace("after_append(", "v" + v + "_append(");
        for (String edit : variants[v].split("\\|")) {
          String[] kv = edit.split("=>", -1);
          if (!text.contains(kv[0])) {
            throw new IllegalStateException("variant " + v + ": no " + kv[0]);
          }
          text = text.replace(kv[0], kv[1]);
        }
        try (Statement s = c.createStatement()) {
          s.execute(text);
        }
        names.add("v" + v);
      }
      long backend;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        backend = rs.getLong(1);
      }
      byte[] payload = new byte[203];
      System.out.printf("batch %d, %d calls per round; microseconds per call%n", batch, calls);
      for (int r = 0; r < rounds; r++) {
        for (String prefix : names) {
          long server0 = ticks(backend);
          long client0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
          long wall0 = System.nanoTime();
          String sql = AppendCall.sql(prefix);
          for (int i = 0; i < calls; i++) {
            if (prefix.equals("plain")) {
              plain(c, "p-" + r + "-" + (i % 50), r * (long) calls + i, events(batch, payload));
              continue;
            }
            try (PreparedStatement p = c.prepareStatement(sql)) {
              AppendCall.bind(
                  c,
                  p,
                  "s-" + prefix + "-" + r + "-" + (i % 50),
                  -2,
                  events(batch, payload),
                  false);
              try (ResultSet rs = p.executeQuery()) {
                rs.next();
              }
            }
          }
          double server = (ticks(backend) - server0) * 10_000.0 / calls;
          double client =
              (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - client0)
                  / 1e3
                  / calls;
          System.out.printf(
              "round %d %-7s server cpu %7.1f  client thread cpu %7.1f  wall %7.1f%n",
              r, prefix, server, client, (System.nanoTime() - wall0) / 1e3 / calls);
        }
      }
    }
  }

  private static java.util.List<EventData> events(int n, byte[] payload) {
    java.util.List<EventData> list = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(EventData.of("OrderPlaced", payload));
    }
    return list;
  }

  /** One multi-row INSERT in autocommit, like the benchmark's plain loop without its BEGIN. */
  private static void plain(
      Connection c, String stream, long version, java.util.List<EventData> events)
      throws java.sql.SQLException {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO plain_events (stream_id, stream_version, event_id, type, data) VALUES ");
    for (int i = 0; i < events.size(); i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?)");
    }
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      int k = 1;
      for (int i = 0; i < events.size(); i++) {
        EventData e = events.get(i);
        p.setString(k++, stream);
        p.setLong(k++, version * events.size() + i);
        p.setString(k++, e.eventId());
        p.setString(k++, e.type());
        p.setBytes(k++, e.data());
      }
      p.executeUpdate();
    }
  }

  private static long ticks(long pid) throws Exception {
    String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static String oldFunction(String prefix) {
    String events = prefix + "_events";
    String positions = prefix + "_positions";
    String clock = prefix + "_clock";
    return "CREATE OR REPLACE FUNCTION "
        + prefix
        + "_append(p_stream text, p_expected bigint, p_ids text[], p_types text[],"
        + " p_schemas int[], p_data bytea[], p_seconds bigint[], p_nanos int[],"
        + " p_correlations text[], p_causations text[], p_look_up boolean,"
        + " OUT o_current bigint, OUT o_position bigint, OUT o_found_ids text[],"
        + " OUT o_found_streams text[], OUT o_found_versions bigint[],"
        + " OUT o_found_positions bigint[])"
        + " LANGUAGE plpgsql AS $f$\n"
        + "DECLARE\n"
        + "  n int := cardinality(p_ids);\n"
        + "  tx xid8;\n"
        + "  micros bigint;\n"
        + "BEGIN\n"
        + "  PERFORM pg_advisory_xact_lock("
        + (("collect-eventstore:" + prefix).hashCode() + 1)
        + ", hashtext(p_stream));\n"
        + "  SELECT coalesce(max(stream_version), -1) INTO o_current FROM "
        + events
        + " WHERE stream_id = p_stream;\n"
        + "  IF p_look_up OR (p_expected <> -2 AND p_expected <> o_current) THEN\n"
        + "    SELECT array_agg(event_id), array_agg(stream_id), array_agg(stream_version),"
        + " array_agg(position)\n"
        + "      INTO o_found_ids, o_found_streams, o_found_versions, o_found_positions\n"
        + "      FROM unnest(p_ids) AS u(id) JOIN "
        + events
        + " ON event_id = u.id;\n"
        + "    IF o_found_ids IS NOT NULL THEN RETURN; END IF;\n"
        + "  END IF;\n"
        + "  IF p_expected <> -2 AND p_expected <> o_current THEN RETURN; END IF;\n"
        + "  BEGIN\n"
        + "    PERFORM pg_advisory_xact_lock("
        + ("collect-eventstore:" + prefix).hashCode()
        + ", 1);\n"
        + "    tx := pg_current_xact_id();\n"
        + "    o_position := nextval('"
        + positions
        + "');\n"
        + "    IF n > 1 THEN PERFORM setval('"
        + positions
        + "', o_position + n - 1); END IF;\n"
        + "    micros := greatest((extract(epoch FROM clock_timestamp()) * 1000000)::bigint,"
        + " (SELECT last_value FROM "
        + clock
        + "));\n"
        + "    PERFORM setval('"
        + clock
        + "', micros);\n"
        + "    RAISE SQLSTATE 'CL001';\n"
        + "  EXCEPTION WHEN SQLSTATE 'CL001' THEN NULL;\n"
        + "  END;\n"
        + "  INSERT INTO "
        + events
        + " (position, tx_id, stream_id, stream_version, event_id, type, schema_version, data,"
        + " occurred_seconds, occurred_nanos, recorded_micros, correlation_id, causation_id)\n"
        + "    SELECT o_position + i - 1, tx, p_stream, o_current + i, id, t, sv, d, sec, ns,"
        + " micros, cor, cau\n"
        + "    FROM unnest(p_ids, p_types, p_schemas, p_data, p_seconds, p_nanos,"
        + " p_correlations, p_causations) WITH ORDINALITY AS u(id, t, sv, d, sec, ns, cor, cau, i);\n"
        + "END\n"
        + "$f$";
  }
}
