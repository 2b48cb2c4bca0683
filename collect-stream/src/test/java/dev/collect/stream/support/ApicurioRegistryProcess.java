package dev.collect.stream.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Apicurio Registry (in-memory storage) as a child process of the test JVM, on a free
 * loopback port. The runnable distribution is the {@code all} tar.gz of {@code
 * io.apicurio:apicurio-registry-app}, which {@code mvn verify} unpacks into the directory the
 * system property {@code collect.apicurio.home} names (collect-stream's pom). When it is missing or
 * does not start, the test is skipped loudly, except under {@code CI=true}, where it fails.
 */
public final class ApicurioRegistryProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
  private static final long START_TIMEOUT_SECONDS = 120;

  private final Process process;
  private final int port;
  private final Path log;

  private ApicurioRegistryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the registry and waits until it listens; skips or fails the test when it cannot. */
  public static ApicurioRegistryProcess start() throws Exception {
    String home = System.getProperty("collect.apicurio.home");
    if (home == null || !Files.isDirectory(Path.of(home))) {
      return unavailable(
          "no unpacked Apicurio Registry (system property collect.apicurio.home="
              + home
              + "); run the test through `mvn verify`, which unpacks it");
    }
    Path runner;
    try (Stream<Path> files = Files.list(Path.of(home))) {
      runner =
          files
              .filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
              .findFirst()
              .orElse(null);
    }
    if (runner == null) {
      return unavailable(
          "no *-runner.jar in " + home + " (`mvn clean verify` unpacks the distribution again)");
    }
    Path log = Files.createTempFile("collect-apicurio-", ".log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx384m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=0",
                    "-jar",
                    runner.toString()))
            .directory(Path.of(home).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (true) {
      Matcher listening = LISTENING.matcher(Files.readString(log));
      if (listening.find()) {
        ApicurioRegistryProcess registry =
            new ApicurioRegistryProcess(process, Integer.parseInt(listening.group(1)), log);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return registry;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return unavailable(
            "Apicurio Registry "
                + System.getProperty("collect.apicurio.version", "")
                + " did not start within "
                + START_TIMEOUT_SECONDS
                + " s (exit "
                + (process.isAlive() ? "none" : process.exitValue())
                + "); its log "
                + log
                + " ends with:\n"
                + tail(log));
      }
      Thread.sleep(100);
    }
  }

  private static ApicurioRegistryProcess unavailable(String reason) {
    String message = "!!! " + reason;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + "; under CI=true this fails the build");
    }
    System.err.println(message + "; SKIPPING the test");
    Assumptions.abort(message);
    return null;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** The Confluent-compatible API's base, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
  public URI ccompatUri() {
    return URI.create("http://127.0.0.1:" + port + "/apis/ccompat/v7");
  }

  /** The registry's console output so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file; the OS cleans it up
    }
  }
}
