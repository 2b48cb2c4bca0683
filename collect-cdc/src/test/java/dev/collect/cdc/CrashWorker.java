package dev.collect.cdc;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.Sink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process the crash-recovery tests kill: a CDC pipeline writing JSON Lines, with its offsets in
 * a checkpoint directory, running until it is killed. Prints "ready" once the source is open.
 * Arguments: {@code postgres|mariadb host port database table name checkpoints output
 * commitIntervalMillis}; MariaDB adds {@code serverId} (the schema history lives in the checkpoint
 * directory).
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    Path checkpoints = Path.of(args[6]);
    Pipeline pipeline =
        Pipeline.from(Cdc.source(config(args, checkpoints)))
            .to(Sink.jsonLines(Path.of(args[7]), ChangeEvent.class, ChangeEventJson.mapper()))
            .checkpoints(CheckpointStore.directory(checkpoints))
            .commitInterval(Duration.ofMillis(Long.parseLong(args[8])))
            .name("crash-worker")
            .build();
    pipeline.start();
    while (!pipeline.isReady()) {
      if (!pipeline.isLive()) {
        throw new IllegalStateException("pipeline failed: " + pipeline.report().failure());
      }
      Thread.sleep(20);
    }
    System.out.println("ready");
    System.out.flush();
    pipeline.awaitTermination(Duration.ofMinutes(10));
  }

  private static CdcSourceConfig config(String[] args, Path checkpoints) {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    String database = args[3];
    String table = args[4];
    String name = args[5];
    if (args[0].equals("postgres")) {
      return CdcSourceConfig.postgres()
          .name(name)
          .connect(host, port)
          .databaseName(database)
          .tables("public." + table)
          .slotName(name)
          .publicationName(name)
          .heartbeatInterval(Duration.ofMillis(500))
          .property("poll.interval.ms", "50")
          .build();
    }
    return CdcSourceConfig.mysql()
        .name(name)
        .connect(host, port)
        .credentials("root", "")
        .databaseName(database)
        .tables(database + "." + table)
        .serverId(Integer.parseInt(args[9]))
        .schemaHistoryFile(checkpoints.resolve(name + "-schema-history.dat"))
        .heartbeatInterval(Duration.ofMillis(500))
        .property("poll.interval.ms", "50")
        .build();
  }
}
