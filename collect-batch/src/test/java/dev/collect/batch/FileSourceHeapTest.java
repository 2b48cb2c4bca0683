package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines as long as the file source allows (1 MiB), 300 of them, with the pipeline's default bounds,
 * through a child JVM with a 256 MiB heap: the source's polls are bounded in bytes.
 */
class FileSourceHeapTest {

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void linesOfOneMebibyteRunThroughTheFileSourceInA256MiBHeap() throws Exception {
    String data = "x".repeat(FileSourceConfig.DEFAULT_MAX_LINE_BYTES - 100);
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve("big.jsonl")), 1 << 16)) {
      for (int i = 0; i < 300; i++) {
        out.write(("{\"id\":" + i + ",\"data\":\"" + data + "\"}\n").getBytes());
      }
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    Process child =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                FileSourceHeapTest.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (var stream = child.getInputStream()) {
      output = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(240, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("RESULT received=300 written=300 deadLettered=0 filtered=0");
  }

  /** The child: the directory's file through the default pipeline into a counting sink. */
  public static void main(String[] args) {
    RunReport r =
        Pipeline.from(
                LocalFiles.source(
                    FileSourceConfig.builder(Path.of(args[0])).glob("*.jsonl").build()))
            .to(Sink.discard())
            .build()
            .run();
    System.out.println(
        "RESULT received="
            + r.received()
            + " written="
            + r.written()
            + " deadLettered="
            + r.deadLettered()
            + " filtered="
            + r.filtered());
  }
}
