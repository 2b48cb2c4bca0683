package dev.collect.examples.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same workload as {@link ClickstreamEtl}, written as plainly as possible on one thread: read a
 * line, parse, validate, transform, write (the per-line work is {@link ClickWork}'s, the same as
 * the threaded loop's). The yardstick for the SDK's overhead.
 */
public final class PlainClickstreamEtl {
  private PlainClickstreamEtl() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args[0].equals("--help")) {
      System.out.println("Usage: PlainClickstreamEtl <input.jsonl> <outdir>");
      return;
    }
    Path input = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    Files.createDirectories(outDir);
    Path output = outDir.resolve("output.jsonl");
    Path deadLetters = outDir.resolve("dead_letters.jsonl");

    ClickWork work = new ClickWork();
    BenchClock clock = new BenchClock("plain-loop", 1, input);
    ByteArrayOutputStream outLine = new ByteArrayOutputStream(512);
    ByteArrayOutputStream dlqLine = new ByteArrayOutputStream(1024);

    clock.start();
    try (LineBytes in = new LineBytes(Files.newInputStream(input));
        OutputStream out =
            new java.io.BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
        OutputStream dlq =
            new java.io.BufferedOutputStream(Files.newOutputStream(deadLetters), 1 << 16)) {
      long lineNo = 0;
      for (byte[] line; (line = in.next()) != null; ) {
        clock.entered(++lineNo);
        if (work.process(lineNo, line, outLine, dlqLine)) {
          outLine.writeTo(out);
          outLine.reset();
        } else {
          dlqLine.writeTo(dlq);
          dlqLine.reset();
        }
      }
    }
    clock.stop();
    clock.report(output, deadLetters);
  }
}
