package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.examples.bench.ClickstreamBench;
import dev.collect.examples.bench.ClickstreamGenerator;
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
        StandardOutput.of(
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
}
