package dev.collect.eventstore;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Two builds of the file store side by side in one JVM, each in its own class loader, alternated
 * case by case: the way to measure a change to the writer against the disk's and the machine's
 * noise. Not a test: run by hand,
 *
 * <pre>
 * git archive BEFORE_COMMIT collect-eventstore/src | tar -x -C /tmp/before
 * javac -d /tmp/before/classes -cp "$(cat /tmp/es-cp.txt)" $(find /tmp/before -path '*main/java*' -name '*.java')
 * javac -d /tmp/before/test-classes -cp "/tmp/before/classes:$(cat /tmp/es-cp.txt)" \
 *     $(find /tmp/before -path '*test/java*' -name '*.java')
 * java [-Dbuffered=true] -cp collect-eventstore/target/test-classes:$(cat /tmp/es-cp.txt) \
 *     dev.collect.eventstore.FileStoreBeforeAfter /tmp/es-cp.txt /tmp/before collect-eventstore/target 2 4 /tmp/ab
 * </pre>
 *
 * <p>Arguments: a file holding the dependency class path (without this module), the "before" and
 * "after" directories (each with {@code classes} and {@code test-classes}; the "before" test tree
 * must have {@link EventStoreBenchmark}'s {@code appends}, {@code replay}, {@code rawRead} and
 * {@code rawLoop}), seconds per case, rounds, a scratch directory. {@code -Dbuffered=true} runs
 * with {@code OS_BUFFERED} (no fsync: the writer's CPU path) at (B, T) = (10, 4), (100, 1), (100,
 * 4). Prints events/s per case and round, and the replay of each build's last B100/T4 log beside a
 * raw read of its segments.
 */
public final class FileStoreBeforeAfter {
  private FileStoreBeforeAfter() {}

  static final class Version {
    static boolean buffered = Boolean.getBoolean("buffered");
    final ClassLoader loader;
    final String name;
    final Method file;
    final Method appends;
    final Method replay;
    final Method rawRead;
    final Method rawLoop;

    Version(String name, ClassLoader parent, String classes, String testClasses) throws Exception {
      this.name = name;
      URLClassLoader l =
          new URLClassLoader(
              new URL[] {Path.of(classes).toUri().toURL(), Path.of(testClasses).toUri().toURL()},
              parent);
      loader = l;
      Class<?> store = l.loadClass("dev.collect.eventstore.EventStore");
      Class<?> bench = l.loadClass("dev.collect.eventstore.EventStoreBenchmark");
      file = store.getMethod("file", Path.class);
      appends = bench.getDeclaredMethod("appends", store, int.class, int.class, long.class);
      appends.setAccessible(true);
      replay = bench.getDeclaredMethod("replay", store, int.class);
      replay.setAccessible(true);
      rawRead = bench.getDeclaredMethod("rawRead", Path.class, long.class, int.class);
      rawRead.setAccessible(true);
      rawLoop = bench.getDeclaredMethod("rawLoop", Path.class, int.class, long.class);
      rawLoop.setAccessible(true);
    }

    AutoCloseable open(Path dir) throws Exception {
      if (!buffered) return (AutoCloseable) file.invoke(null, dir);
      Class<?> cfg = loader.loadClass("dev.collect.eventstore.FileEventStoreConfig");
      Class<?> dur = loader.loadClass("dev.collect.eventstore.Durability");
      Object b = cfg.getMethod("builder", Path.class).invoke(null, dir);
      b.getClass().getMethod("durability", dur).invoke(b, dur.getField("OS_BUFFERED").get(null));
      Object c = b.getClass().getMethod("build").invoke(b);
      return (AutoCloseable)
          loader
              .loadClass("dev.collect.eventstore.EventStore")
              .getMethod("file", cfg)
              .invoke(null, c);
    }

    double append(Path dir, int batch, int threads, long nanos) throws Exception {
      try (AutoCloseable s = open(dir)) {
        return (double) appends.invoke(null, s, batch, threads, nanos);
      }
    }
  }

  public static void main(String[] a) throws Exception {
    List<URL> deps = new ArrayList<>();
    for (String p : Files.readString(Path.of(a[0])).trim().split(":"))
      deps.add(Path.of(p).toUri().toURL());
    ClassLoader parent =
        new URLClassLoader(deps.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    Version before = new Version("before", parent, a[1] + "/classes", a[1] + "/test-classes");
    Version after = new Version("after", parent, a[2] + "/classes", a[2] + "/test-classes");
    long nanos = (long) (Double.parseDouble(a[3]) * 1e9);
    int rounds = Integer.parseInt(a[4]);
    Path work = Path.of(a[5]);
    Files.createDirectories(work);
    // warm-up of both, not reported
    for (Version v : List.of(before, after)) {
      Path d = work.resolve("warm-" + v.name);
      v.append(d, 10, 4, nanos / 2);
      delete(d);
    }
    int[][] cases =
        Version.buffered
            ? new int[][] {{10, 4}, {100, 1}, {100, 4}}
            : new int[][] {{1, 1}, {1, 4}, {10, 1}, {10, 4}, {100, 1}, {100, 4}};
    System.out.println(
        Version.buffered
            ? "durability OS_BUFFERED (no fsync): the writer's CPU path"
            : "durability FSYNC");
    System.out.printf(
        "%-6s %7s %5s %12s %12s %12s %7s%n",
        "batch", "threads", "round", "raw loop", "before", "after", "after/before");
    for (int[] c : cases) {
      for (int r = 0; r < rounds; r++) {
        double raw = (double) before.rawLoop.invoke(null, work, c[0], nanos);
        double[] rate = new double[2];
        Version[] order =
            r % 2 == 0 ? new Version[] {before, after} : new Version[] {after, before};
        for (Version v : order) {
          Path d = work.resolve(v.name + "-" + c[0] + "-" + c[1]);
          rate[v == before ? 0 : 1] = v.append(d, c[0], c[1], nanos);
          if (!(c[0] == 100 && c[1] == 4 && r == rounds - 1)) delete(d);
        }
        System.out.printf(
            "%-6d %7d %5d %,12.0f %,12.0f %,12.0f %7.2f%n",
            c[0], c[1], r, raw, rate[0], rate[1], rate[1] / rate[0]);
      }
    }
    // replay of each version's last B100/T4 log, beside a raw read of the same files
    for (int pass = 0; pass < 3; pass++) {
      for (Version v : List.of(before, after)) {
        Path d = work.resolve(v.name + "-100-4");
        try (AutoCloseable s = v.open(d)) {
          long events = (long) s.getClass().getMethod("headPosition").invoke(s);
          double replay = (double) v.replay.invoke(null, s, 5);
          double raw = (double) v.rawRead.invoke(null, d, events, 5);
          System.out.printf(
              "replay %-6s pass %d: %,d events, replay %,.0f/s, raw read %,.0f/s, ratio %.2f%n",
              v.name, pass, events, replay, raw, replay / raw);
        }
      }
    }
    delete(work);
  }

  static void delete(Path d) throws Exception {
    if (!Files.exists(d)) return;
    try (var s = Files.walk(d)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
