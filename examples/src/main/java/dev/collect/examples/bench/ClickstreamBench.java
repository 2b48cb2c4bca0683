package dev.collect.examples.bench;

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
 * Runs the plain loop and the SDK (1 and 2 workers) alternately, each in a fresh JVM with the same
 * options, and prints every RESULT line and the ratios of the median second-half rates: on a shared
 * machine only ratios measured in one run compare. Fails (an exception, exit status 1) unless every
 * run wrote files with the same output and dead-letter checksums.
 *
 * <pre>
 * java -cp ... dev.collect.examples.bench.ClickstreamBench input.jsonl outdir [rounds]
 * </pre>
 */
public final class ClickstreamBench {
  private static final Pattern RATE = Pattern.compile("second_half_records_per_second=(\\d+)");
  private static final Pattern CHECKSUMS =
      Pattern.compile("out_checksum=([0-9a-f]+) dlq_checksum=([0-9a-f]+)");
  private static final List<String> JVM = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");

  private ClickstreamBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args[0].equals("--help")) {
      System.out.println("Usage: ClickstreamBench <input.jsonl> <outdir> [rounds, default 3]");
      return;
    }
    String input = args[0];
    Path outDir = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Map<String, List<String>> runs = new LinkedHashMap<>();
    runs.put(
        "plain",
        List.of(PlainClickstreamEtl.class.getName(), input, outDir.resolve("plain").toString()));
    runs.put(
        "sdk-1",
        List.of(
            ClickstreamEtl.class.getName(),
            input,
            outDir.resolve("sdk-1").toString(),
            "--workers",
            "1"));
    runs.put(
        "sdk-2",
        List.of(
            ClickstreamEtl.class.getName(),
            input,
            outDir.resolve("sdk-2").toString(),
            "--workers",
            "2"));
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Set<String> checksums = new TreeSet<>();
    for (int round = 1; round <= rounds; round++) {
      for (Map.Entry<String, List<String>> run : runs.entrySet()) {
        String result = runChild(run.getValue());
        System.out.println("round " + round + " " + run.getKey() + ": " + result);
        Matcher sums = CHECKSUMS.matcher(result);
        checksums.add(sums.find() ? sums.group(0) : "(none)");
        Matcher m = RATE.matcher(result);
        if (m.find()) {
          rates
              .computeIfAbsent(run.getKey(), k -> new ArrayList<>())
              .add(Double.parseDouble(m.group(1)));
        }
      }
    }
    if (checksums.size() != 1 || checksums.contains("(none)")) {
      // Thrown, not System.exit: a caller in the same JVM (a test) sees it; java exits with 1.
      throw new IllegalStateException("CHECKSUM MISMATCH between runs: " + checksums);
    }
    System.out.println("every run wrote the same files: " + checksums.iterator().next());
    double plain = median(rates.get("plain"));
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "%-6s median second-half records/s %,10.0f  ratio to plain %.3f%n",
          e.getKey(),
          median(e.getValue()),
          median(e.getValue()) / plain);
    }
  }

  private static String runChild(List<String> mainAndArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainAndArgs);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = "(no RESULT line)";
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RESULT")) {
          result = line;
        }
      }
    }
    child.waitFor();
    return result;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
