package dev.collect.batch.internal.lake;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The positions of records a crashed run published after its last commit. A restarted run skips
 * replayed records found here, which makes the lake idempotent across a crash. Each published data
 * file has a sidecar {@code <file-id>.positions} in its run directory, written and fsynced before
 * the data file is renamed into place; a sidecar whose data file is absent is ignored.
 */
final class ReplayFence {
  private final Set<Long> published = new HashSet<>();
  private final List<Path> absorbedRuns = new ArrayList<>();

  /** Loads the sidecars of the crashed runs {@code runs} (run directories without a manifest). */
  static ReplayFence load(Path lakeRoot, List<Path> runs) throws IOException {
    ReplayFence fence = new ReplayFence();
    for (Path run : runs) {
      fence.absorbedRuns.add(run);
      try (Stream<Path> sidecars = Files.list(run)) {
        for (Path sidecar : sidecars.filter(p -> p.toString().endsWith(".positions")).toList()) {
          fence.read(lakeRoot, sidecar);
        }
      }
    }
    return fence;
  }

  private void read(Path lakeRoot, Path sidecar) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(sidecar)))) {
      String dataFile = in.readUTF();
      if (!Files.exists(lakeRoot.resolve(dataFile))) {
        return; // the crash came between the sidecar and the rename: nothing was published
      }
      long committed = committedSeq(sidecar.getParent());
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        long fingerprint = in.readLong();
        long seq = in.readLong();
        if (seq == 0 || seq > committed) {
          published.add(fingerprint);
        }
      }
    }
  }

  /** Writes a sidecar for {@code dataFile} (relative to the lake root). */
  private static long committedSeq(Path run) throws IOException {
    Path file = run.resolve("committed");
    return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 0;
  }

  static void writeSidecar(
      Path sidecar, String dataFile, long[] fingerprints, long[] seqs, int count)
      throws IOException {
    Path temp = sidecar.resolveSibling(sidecar.getFileName() + ".tmp");
    try (OutputStream raw = Files.newOutputStream(temp);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw))) {
      out.writeUTF(dataFile);
      out.writeInt(count);
      for (int i = 0; i < count; i++) {
        out.writeLong(fingerprints[i]);
        out.writeLong(seqs[i]);
      }
    }
    dev.collect.batch.internal.AtomicFiles.publish(temp, sidecar);
  }

  /** True, once, for a record whose position a crashed run already published. */
  boolean alreadyPublished(long fingerprint) {
    return fingerprint != 0 && !published.isEmpty() && published.remove(fingerprint);
  }

  /** The crashed runs whose files this fence covers. */
  List<Path> absorbedRuns() {
    return absorbedRuns;
  }

  /** How many published positions are still expected to be replayed. */
  int pending() {
    return published.size();
  }
}
