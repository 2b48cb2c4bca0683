package dev.collect.cdc;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.Sink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link PostgresCrashRecoveryIT} kills: a CDC pipeline writing JSON Lines, with its
 * offsets in a checkpoint directory, running until it is killed. Arguments: port, table, name,
 * checkpoint directory, output file.
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String table = args[1];
    String name = args[2];
    CdcConfig config =
        CdcConfig.postgres()
            .name(name)
            .connect("127.0.0.1", port)
            .databaseName("postgres")
            .tables("public." + table)
            .slotName(name)
            .publicationName(name)
            .heartbeatInterval(Duration.ofMillis(500))
            .property("poll.interval.ms", "50")
            .build();
    Pipeline pipeline =
        Pipeline.from(CdcSource.of(config))
            .to(Sink.jsonLines(Path.of(args[4]), ChangeEvent.class, CdcJson.MAPPER))
            .checkpoints(CheckpointStore.directory(Path.of(args[3])))
            .commitInterval(Duration.ofMillis(1500))
            .name("crash-worker")
            .build();
    pipeline.start();
    System.out.println("started");
    pipeline.awaitTermination(Duration.ofMinutes(10));
  }
}
