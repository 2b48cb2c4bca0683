package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.examples.bench.ClickstreamBench;
import dev.collect.examples.bench.ClickstreamGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ClickstreamBenchTest {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void runsEveryImplementationInItsOwnJvmAndComparesTheirFiles() throws Exception {
    Path input = dir.resolve("clicks.jsonl");
    String printed =
        printed(
            () -> {
              ClickstreamGenerator.main(
                  new String[] {"--out", input.toString(), "--n", "2000", "--seed", "42"});
              ClickstreamBench.main(
                  new String[] {input.toString(), dir.resolve("out").toString(), "1"});
            });

    assertThat(printed)
        .contains("round 1 plain: RESULT impl=plain-loop workers=1 input_lines=2000")
        .contains("round 1 sdk-1: RESULT impl=collect-sdk workers=1 input_lines=2000")
        .contains("round 1 sdk-2: RESULT impl=collect-sdk workers=2 input_lines=2000")
        .contains("every run wrote the same files: out_checksum=")
        .containsPattern("sdk-2 +median second-half records/s +[0-9,]+ +ratio to plain [0-9.]+");
  }

  interface Body {
    void run() throws Exception;
  }

  private static String printed(Body body) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(stdout);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
