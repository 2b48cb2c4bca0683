package dev.collect.eventstore.internal;

import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.PostgresAppendBenchmark;
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
 * By hand, not a test: the server and client CPU of one append call, alternated on one connection
 * of one embedded server: a plain INSERT ("plain"), the batch function with its array parameters
 * ("arrays", what a single event was sent to before the one-event function) and the call the store
 * makes ("store"): {@code main [calls=2000] [rounds=5] [batch=1]}. {@code -Dvariants} adds edited
 * copies of the store's function: {@code from=>to|from=>to@@...}.
 */
public final class AppendFunctionCost {
  private AppendFunctionCost() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
        Connection c = pg.getPostgresDatabase().getConnection()) {
      EventStore.postgres(
              PostgresEventStoreConfig.builder(pg.getPostgresDatabase())
                  .tablePrefix("after")
                  .build())
          .close();
      try (Statement s = c.createStatement()) {
        s.execute(PostgresAppendBenchmark.PLAIN_EVENTS_TABLE);
      }
      String function = batch == 1 ? "after_append_one" : "after_append";
      String def;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('" + function + "'::regproc)")) {
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
          new java.util.ArrayList<>(java.util.List.of("plain", "arrays", "store"));
      for (int v = 0; v < variants.length; v++) {
        String text = def.replace(function + "(", function.replace("after", "v" + v) + "(");
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
          String sql =
              prefix.equals("arrays")
                  ? AppendCall.sql("after", 2)
                  : AppendCall.sql(prefix.equals("store") ? "after" : prefix, batch);
          for (int i = 0; i < calls; i++) {
            if (prefix.equals("plain")) {
              plain(c, "p-" + r + "-" + (i % 50), r * (long) calls + i, events(batch, payload));
              continue;
            }
            try (PreparedStatement p = c.prepareStatement(sql)) {
              String stream = "s-" + prefix + "-" + r + "-" + (i % 50);
              AppendCall.bind(c, p, stream, -2, events(batch, payload), false);
              if (prefix.equals("arrays")) {
                AppendCall.bindArrays(c, p, events(batch, payload));
              }
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
}
