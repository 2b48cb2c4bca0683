package dev.collect.examples.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs the plain loop, the hand-written reader + 2 workers loop and the SDK (1 and 2 workers)
 * alternately, each in a fresh JVM with the same options (see {@link BenchRunner}), and prints
 * every RESULT line and the ratios of the median second-half rates to the plain loop. Fails (an
 * exception, exit status 1) unless every run wrote files with the same output and dead-letter
 * checksums.
 *
 * <pre>
 * java -cp ... dev.collect.examples.bench.ClickstreamBench input.jsonl outdir [rounds]
 * </pre>
 */
public final class ClickstreamBench {
  private ClickstreamBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args[0].equals("--help")) {
      System.out.println("Usage: ClickstreamBench <input.jsonl> <outdir> [rounds, default 3]");
      return;
    }
    String input = args[0];
    Path outDir = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    new BenchRunner()
        .add(
            "plain",
            List.of(PlainClickstreamEtl.class.getName(), input, outDir.resolve("plain").toString()))
        .add(
            "threaded-2",
            List.of(
                ThreadedClickstreamEtl.class.getName(),
                input,
                outDir.resolve("threaded-2").toString(),
                "--workers",
                "2"))
        .add(
            "sdk-1",
            List.of(
                ClickstreamEtl.class.getName(),
                input,
                outDir.resolve("sdk-1").toString(),
                "--workers",
                "1"))
        .add(
            "sdk-2",
            List.of(
                ClickstreamEtl.class.getName(),
                input,
                outDir.resolve("sdk-2").toString(),
                "--workers",
                "2"))
        .run(rounds);
  }
}
