package dev.collect.cdc.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.CollectException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offsets in the pipeline's {@link dev.collect.core.CheckpointStore}: the whole offset
 * map is one checkpoint value (JSON, keys and values base64), saved atomically on every flush. The
 * engine flushes only what the pipeline settled (see {@link CommitGate}), so the checkpoint never
 * runs ahead of the sinks.
 */
public final class CheckpointOffsetBackingStore extends MemoryOffsetBackingStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  private OffsetStores.Handle handle;

  public CheckpointOffsetBackingStore() {}

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    Object id = config.originals().get(OffsetStores.ID_PROPERTY);
    this.handle = OffsetStores.lookup(id == null ? null : id.toString());
  }

  @Override
  public synchronized void start() {
    super.start();
    handle.store.load(handle.key).ifPresent(this::decode);
  }

  private void decode(String value) {
    try {
      Map<String, String> stored = JSON.readValue(value, MAP);
      Base64.Decoder b64 = Base64.getDecoder();
      Map<ByteBuffer, ByteBuffer> loaded = new HashMap<>();
      stored.forEach(
          (k, v) ->
              loaded.put(
                  ByteBuffer.wrap(b64.decode(k)),
                  v == null ? null : ByteBuffer.wrap(b64.decode(v))));
      data.putAll(loaded);
    } catch (Exception e) {
      throw new CollectException(
          "the CDC offsets under checkpoint key '" + handle.key + "' are not readable", e);
    }
  }

  @Override
  protected void save() {
    try {
      Base64.Encoder b64 = Base64.getEncoder();
      Map<String, String> out = new LinkedHashMap<>();
      data.forEach(
          (k, v) ->
              out.put(
                  b64.encodeToString(bytes(k)), v == null ? null : b64.encodeToString(bytes(v))));
      handle.store.save(handle.key, JSON.writeValueAsString(out));
      handle.saveFailure = null;
    } catch (Exception e) {
      RuntimeException failure =
          e instanceof RuntimeException r
              ? r
              : new CollectException(
                  "saving the CDC offsets to the checkpoint store failed: " + e.getMessage(), e);
      handle.saveFailure = failure;
      throw failure;
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    // Only Kafka Connect's offset REST API asks for this; the embedded engine does not.
    return Set.of();
  }
}
