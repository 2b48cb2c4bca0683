package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.examples.bench.ClickstreamEtl;
import dev.collect.examples.bench.ClickstreamGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's benchmark commands: the generator with {@code --n 1000000 --seed 42}, then the SDK's
 * ETL with two workers, end with the checksums the README states (about 250 MB of input).
 */
class ClickstreamChecksumTest {

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void theGeneratorAndTheEtlProduceTheReadmesChecksumsForOneMillionLinesSeed42() throws Exception {
    Path input = dir.resolve("clickstream.jsonl");

    StandardOutput.of(
        () ->
            ClickstreamGenerator.main(
                new String[] {"--out", input.toString(), "--n", "1000000", "--seed", "42"}));
    String result =
        StandardOutput.of(
            () ->
                ClickstreamEtl.main(
                    new String[] {
                      input.toString(), dir.resolve("out").toString(), "--workers", "2"
                    }));

    assertThat(result)
        .contains("consistent=yes") // and main throws unless the run report's invariant holds
        .contains("input_lines=1000000 valid_written=970000 dead_lettered=30000")
        .contains("out_checksum=49c097402d0ddd5c dlq_checksum=92a8027a28973133");
  }
}
