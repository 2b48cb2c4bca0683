package dev.collect.examples.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The workload's measurement, shared by both implementations: the untimed line count, the
 * processing window, the moment line N/2+1 enters processing, and the RESULT line with the
 * checksums of the files, computed after the clock stops.
 */
final class BenchClock {
  private final String impl;
  private final int workers;
  private final long inputLines;
  private final long halfLine;
  private long lineCountNanos;
  private long start;
  private volatile long halfAt;
  private long end;

  BenchClock(String impl, int workers, Path input) throws IOException {
    this.impl = impl;
    this.workers = workers;
    long t = System.nanoTime();
    this.inputLines = countLines(input);
    this.lineCountNanos = System.nanoTime() - t;
    this.halfLine = inputLines / 2 + 1;
  }

  /** For inputs that are not files (a Kafka topic): the number of records is given. */
  BenchClock(String impl, int workers, long inputLines) {
    this.impl = impl;
    this.workers = workers;
    this.inputLines = inputLines;
    this.halfLine = inputLines / 2 + 1;
  }

  long inputLines() {
    return inputLines;
  }

  void start() {
    start = System.nanoTime();
  }

  /** Call as each line enters processing; cheap for every other line. */
  void entered(long lineNo) {
    if (lineNo == halfLine) {
      halfAt = System.nanoTime();
    }
  }

  void stop() {
    end = System.nanoTime();
  }

  /** Prints the counts, checksums and the RESULT line. */
  void report(Path output, Path deadLetters) throws IOException {
    Checksums out = Checksums.of(output);
    Checksums dlq = Checksums.of(deadLetters);
    double seconds = (end - start) / 1e9;
    double secondHalf = (inputLines - inputLines / 2) / ((end - halfAt) / 1e9);
    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    double startup =
        (System.currentTimeMillis() - jvmStartMillis) / 1e3
            - (System.nanoTime() - start) / 1e9
            - lineCountNanos / 1e9;
    System.out.printf(
        Locale.ROOT,
        "out_ordered_checksum=%016x dlq_ordered_checksum=%016x consistent=%s startup_seconds=%.3f%n",
        out.ordered,
        dlq.ordered,
        out.lines + dlq.lines == inputLines ? "yes" : "no",
        startup);
    System.out.printf(
        Locale.ROOT,
        "RESULT impl=%s workers=%d input_lines=%d valid_written=%d dead_lettered=%d seconds=%.3f"
            + " records_per_second=%.0f second_half_records_per_second=%.0f out_checksum=%016x"
            + " dlq_checksum=%016x%n",
        impl,
        workers,
        inputLines,
        out.lines,
        dlq.lines,
        seconds,
        inputLines / seconds,
        secondHalf,
        out.sum,
        dlq.sum);
  }

  static long countLines(Path file) throws IOException {
    long lines = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  /** 64-bit FNV-1a per line (without its newline): their sum and their ordered fold. */
  record Checksums(long lines, long sum, long ordered) {
    static Checksums of(Path file) throws IOException {
      long lines = 0;
      long sum = 0;
      long ordered = 0;
      long h = 0xcbf29ce484222325L;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        for (int b; (b = in.read()) >= 0; ) {
          if (b == '\n') {
            lines++;
            sum += h;
            ordered = ordered * 1099511628211L + h;
            h = 0xcbf29ce484222325L;
          } else {
            h = (h ^ b) * 0x100000001b3L;
          }
        }
      }
      return new Checksums(lines, sum, ordered);
    }
  }
}
