package dev.collect.examples.fraud;

import dev.collect.core.BatchPolicy;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Validator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fraud detection training data in real time: a transaction feed (keyed by card, so each card's
 * transactions stay in order), fraud labels joined from a batch file, and class-imbalance sampling
 * that keeps every fraud and a deterministic share of the rest, recording the sampling weight.
 * Prints the end-to-end latency from arrival to written.
 *
 * <pre>
 * java -cp ... dev.collect.examples.fraud.FraudDetection [--transactions N] [--rate PER_SECOND] [--out DIR]
 * </pre>
 */
public final class FraudDetection {
  /** Share of legitimate transactions kept for training. */
  static final double NEGATIVE_RATE = 0.1;

  private FraudDetection() {}

  public static void main(String[] args) throws IOException {
    int transactions = 20_000;
    int rate = 5_000;
    Path out = Path.of("collect-out/fraud");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--transactions" -> transactions = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(
              "Usage: FraudDetection [--transactions N] [--rate PER_SECOND] [--out DIR]");
          return;
        }
      }
    }
    RunReport report = run(transactions, rate, out);
    System.out.print(report.toTable());
    System.out.printf(
        Locale.ROOT,
        "%nEnd-to-end latency p50 %.1f ms, p99 %.1f ms; training data in %s%n",
        report.latencyP50().toNanos() / 1e6,
        report.latencyP99().toNanos() / 1e6,
        out.resolve("training.jsonl"));
  }

  public static RunReport run(int transactions, int perSecond, Path out) throws IOException {
    Files.createDirectories(out);
    Path labelsFile = out.resolve("labels.csv");
    writeLabels(labelsFile, transactions);
    Map<String, Boolean> labels = readLabels(labelsFile);
    Files.deleteIfExists(out.resolve("training.jsonl"));
    Files.deleteIfExists(out.resolve("dead-letters.jsonl"));

    return Pipeline.from(new TransactionFeed(transactions, perSecond))
        .validate(Validator.bean(Transaction.class))
        .map("join-labels", t -> label(t, labels))
        .filter("sample", FraudDetection::keep)
        .to(Sink.jsonLines(out.resolve("training.jsonl")))
        .deadLetters(DeadLetterSink.jsonLines(out.resolve("dead-letters.jsonl")))
        .name("fraud-detection")
        .workers(2)
        .batch(BatchPolicy.ofRecords(256).withLinger(Duration.ofMillis(20)))
        .build()
        .run();
  }

  static LabeledTransaction label(Transaction t, Map<String, Boolean> labels) {
    boolean fraud = labels.getOrDefault(t.id(), false);
    return new LabeledTransaction(
        t.id(), t.card(), t.amountCents(), t.merchant(), fraud, fraud ? 1.0 : 1 / NEGATIVE_RATE);
  }

  /** Keeps every fraud and, decided by the id alone so replays agree, 10 % of the rest. */
  static boolean keep(LabeledTransaction t) {
    return t.fraud() || Math.floorMod(t.id().hashCode() * 0x9E3779B9, 1000) < NEGATIVE_RATE * 1000;
  }

  /** The batch side: about 1 % of the transactions turn out to be fraud. */
  static void writeLabels(Path file, int transactions) throws IOException {
    SplittableRandom random = new SplittableRandom(5);
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("transaction_id,is_fraud\n");
      for (int i = 0; i < transactions; i++) {
        w.write("tx" + i + "," + (random.nextInt(100) == 0) + "\n");
      }
    }
  }

  static Map<String, Boolean> readLabels(Path file) throws IOException {
    Map<String, Boolean> labels = new HashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(",");
      labels.put(parts[0], Boolean.parseBoolean(parts[1]));
    }
    return labels;
  }
}
