package dev.collect.batch.internal.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.CheckpointStore;
import dev.collect.core.CollectException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a directory source has settled, in the checkpoint store: {@code <key>:done} holds the
 * fingerprints of finished files, {@code <key>:current} the fingerprint and line of the file in
 * progress.
 */
final class Progress {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CheckpointStore store;
  private final String doneKey;
  private final String currentKey;
  private final Set<String> done = new LinkedHashSet<>();
  private String currentFingerprint;
  private long currentLine;

  Progress(CheckpointStore store, String key) {
    this.store = store;
    this.doneKey = key + ":done";
    this.currentKey = key + ":current";
    store
        .load(doneKey)
        .ifPresent(json -> done.addAll(read(key, json, new TypeReference<Set<String>>() {})));
    store
        .load(currentKey)
        .ifPresent(
            json -> {
              Map<String, Object> current =
                  read(key, json, new TypeReference<Map<String, Object>>() {});
              currentFingerprint = (String) current.get("fingerprint");
              currentLine = ((Number) current.get("line")).longValue();
            });
  }

  private static <V> V read(String key, String json, TypeReference<V> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw corrupt(key, e);
    }
  }

  private static CollectException corrupt(String key, Exception cause) {
    return new CollectException(
        "the file source's checkpoint under '"
            + key
            + "' is corrupt: restore it, or delete its keys to read the directory from its start",
        cause);
  }

  boolean isDone(String fingerprint) {
    return done.contains(fingerprint);
  }

  /** The lines of {@code fingerprint} already settled (0 if it is not the file in progress). */
  long settledLines(String fingerprint) {
    return fingerprint.equals(currentFingerprint) ? currentLine : 0;
  }

  void lineSettled(String fingerprint, long line) {
    currentFingerprint = fingerprint;
    currentLine = line;
    save(currentKey, Map.of("fingerprint", fingerprint, "line", line));
  }

  /** Marks a file done; forgets fingerprints of files no longer present so the set stays small. */
  void fileDone(String fingerprint, Set<String> present) {
    done.retainAll(present);
    done.add(fingerprint);
    save(doneKey, done);
    if (fingerprint.equals(currentFingerprint)) {
      currentFingerprint = null;
      store.delete(currentKey);
    }
  }

  private void save(String key, Object value) {
    try {
      store.save(key, JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new CollectException("cannot write the file source's progress as JSON", e);
    }
  }
}
