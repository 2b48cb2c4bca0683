package dev.collect.examples.bench;

import dev.collect.examples.support.ProgramClassPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs benchmark programs alternately (A B C A B C ...), each in a fresh JVM with the same options
 * ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}), collects their RESULT lines, checks that every run
 * wrote files with the same order-independent checksums, and prints the median second-half rate of
 * each program as a ratio to the first one: on a shared machine only ratios measured in one run
 * compare.
 */
final class BenchRunner {
  private static final Pattern RATE = Pattern.compile("second_half_records_per_second=(\\d+)");
  private static final Pattern CHECKSUMS =
      Pattern.compile("out_checksum=([0-9a-f]+) dlq_checksum=([0-9a-f]+)");
  static final List<String> JVM = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");

  private final Map<String, List<String>> programs = new LinkedHashMap<>();

  /** Adds a program: its main class and arguments. The first one added is the yardstick. */
  BenchRunner add(String name, List<String> mainAndArgs) {
    programs.put(name, mainAndArgs);
    return this;
  }

  /**
   * Runs every program {@code rounds} times, alternating, and prints the table. Throws if the runs'
   * checksums differ (a caller in the same JVM sees it; {@code java} exits with 1).
   */
  Map<String, Double> run(int rounds) throws IOException, InterruptedException {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Set<String> checksums = new TreeSet<>();
    for (int round = 1; round <= rounds; round++) {
      for (Map.Entry<String, List<String>> program : programs.entrySet()) {
        String result = runChild(program.getValue());
        System.out.println("round " + round + " " + program.getKey() + ": " + result);
        Matcher sums = CHECKSUMS.matcher(result);
        checksums.add(sums.find() ? sums.group(0) : "(none)");
        Matcher m = RATE.matcher(result);
        if (m.find()) {
          rates
              .computeIfAbsent(program.getKey(), k -> new ArrayList<>())
              .add(Double.parseDouble(m.group(1)));
        }
      }
    }
    if (checksums.size() != 1 || checksums.contains("(none)")) {
      throw new IllegalStateException("CHECKSUM MISMATCH between runs: " + checksums);
    }
    System.out.println("every run wrote the same files: " + checksums.iterator().next());
    String first = programs.keySet().iterator().next();
    double yardstick = median(rates.get(first));
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      double median = median(e.getValue());
      ratios.put(e.getKey(), median / yardstick);
      System.out.printf(
          Locale.ROOT,
          "%-10s median second-half records/s %,10.0f  ratio to %s %.3f%n",
          e.getKey(),
          median,
          first,
          median / yardstick);
    }
    return ratios;
  }

  /** Runs a main in a fresh JVM with this program's class path; its last RESULT line. */
  static String runChild(List<String> mainAndArgs) throws IOException, InterruptedException {
    return runChild(JVM, mainAndArgs);
  }

  /** Runs a main in a fresh JVM with these options; its last RESULT or LATENCY line. */
  static String runChild(List<String> jvmOptions, List<String> mainAndArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(ProgramClassPath.current());
    command.addAll(mainAndArgs);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = "(no RESULT line)";
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RESULT") || line.startsWith("LATENCY")) {
          result = line;
        }
      }
    }
    child.waitFor();
    return result;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
