package dev.collect.stream.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;

/**
 * A Mosquitto broker process of the test's own, on a free loopback port with the test's config
 * lines, so a test can set broker limits without touching the machine's shared broker. The binary
 * is {@code MOSQUITTO_BIN}, else {@code mosquitto} on the PATH or in {@code /usr/sbin}; when there
 * is none the test is skipped loudly, except under {@code CI=true}, where it fails.
 */
public final class MosquittoProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private MosquittoProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a broker in {@code dir} with {@code configLines} added to a loopback listener. */
  public static MosquittoProcess start(Path dir, String... configLines) throws Exception {
    return start(
        dir,
        port -> {
          List<String> lines = new ArrayList<>();
          lines.add("listener " + port + " 127.0.0.1");
          lines.add("allow_anonymous true");
          lines.addAll(List.of(configLines));
          return lines;
        });
  }

  private static MosquittoProcess start(Path dir, IntFunction<List<String>> lines)
      throws Exception {
    String binary = binary();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> config = new ArrayList<>();
    config.add("persistence false");
    config.add("log_dest stderr");
    config.addAll(lines.apply(port));
    Path file = Files.write(dir.resolve("mosquitto-" + port + ".conf"), config);
    Path log = dir.resolve("mosquitto-" + port + ".log");
    Process process =
        new ProcessBuilder(binary, "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    MosquittoProcess broker = new MosquittoProcess(process, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!broker.listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        broker.close();
        throw new IllegalStateException(
            "mosquitto did not listen on port " + port + ": " + Files.readString(log));
      }
      Thread.sleep(20);
    }
    return broker;
  }

  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The listener's port. */
  public int port() {
    return port;
  }

  /** Starts a broker with {@code listenerLines} as its whole listener section, on a free port. */
  public static MosquittoProcess startWith(Path dir, IntFunction<List<String>> listenerLines)
      throws Exception {
    return start(dir, listenerLines);
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The mosquitto binary, or null when there is none. */
  public static String binaryOrNull() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("MOSQUITTO_BIN");
    if (configured != null) {
      candidates.add(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(dir + "/mosquitto");
    }
    candidates.add("/usr/sbin/mosquitto");
    candidates.add("/usr/local/sbin/mosquitto");
    for (String candidate : candidates) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return null;
  }

  private static String binary() {
    String found = binaryOrNull();
    if (found != null) {
      return found;
    }
    String message = "!!! no mosquitto binary (MOSQUITTO_BIN, PATH, /usr/sbin)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + "; under CI=true this fails the build");
    }
    System.err.println(message + "; SKIPPING the test");
    Assumptions.abort(message);
    return null;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
