package dev.collect.eventstore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test main in a fresh JVM, its standard output collected line by line. */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path errors;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  ChildJvm(Class<?> main, String... args) throws IOException {
    this(List.of(), main, args);
  }

  /**
   * A child whose files cannot grow past {@code blocks} blocks of the shell's {@code ulimit -f}
   * (512 or 1024 bytes): a write past that fails with {@code EFBIG}, a real I/O error (the JVM
   * ignores the {@code SIGXFSZ} that comes with it).
   */
  static ChildJvm withFileSizeLimit(long blocks, Class<?> main, String... args) throws IOException {
    return new ChildJvm(
        List.of("/bin/sh", "-c", "ulimit -f " + blocks + " && exec \"$0\" \"$@\""), main, args);
  }

  private ChildJvm(List<String> prefix, Class<?> main, String... args) throws IOException {
    errors = Files.createTempFile("child-" + main.getSimpleName(), ".err");
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx96m",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    command.addAll(List.of(args));
    process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    reader = new Thread(this::read, "child-output-" + process.pid());
    reader.start();
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the child died: what was read is what counts
    }
  }

  /** Waits until a line matches, or fails with the child's error output. */
  void awaitLine(Predicate<String> match, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (lines) {
      while (lines.stream().noneMatch(match)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
          throw new AssertionError(
              "child " + process.pid() + " printed " + lines + ", stderr: " + stderr());
        }
        lines.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
    }
  }

  /** A copy of the whole lines printed so far. */
  List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  String stderr() throws IOException {
    return Files.readString(errors);
  }

  /** SIGKILL, then waits for the output to end. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(30_000);
  }

  /** Closes the child's standard input (its signal to stop) and waits for it to exit. */
  int finish() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + process.pid() + " did not exit, stderr: " + stderr());
    }
    reader.join(30_000);
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
    Files.deleteIfExists(errors);
  }
}
