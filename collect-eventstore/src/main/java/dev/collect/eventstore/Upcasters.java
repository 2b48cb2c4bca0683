package dev.collect.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.collect.core.spi.Checks;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The upcasters of every event type, applied on read: an event stored at version {@code v} goes
 * through the upcasters {@code v -> v+1 -> ...} up to the newest registered version of its type.
 * Events of a type without upcasters, and erased events, pass unchanged. Immutable, thread-safe.
 *
 * <pre>{@code
 * Upcasters upcasters = Upcasters.builder()
 *     .add("OrderPlaced", 1, json -> json.put("currency", "EUR"))   // v1 -> v2
 *     .build();
 * }</pre>
 */
public final class Upcasters {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Map<Integer, Upcaster>> byType;

  private Upcasters(Map<String, Map<Integer, Upcaster>> byType) {
    this.byType = byType;
  }

  /** Starts an empty set. */
  public static Builder builder() {
    return new Builder();
  }

  /** No upcasters. */
  public static Upcasters none() {
    return new Upcasters(Map.of());
  }

  /** The current schema version of {@code type}: one past its newest upcaster, or 1. */
  public int currentVersion(String type) {
    Map<Integer, Upcaster> steps = byType.get(type);
    return steps == null ? 1 : steps.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1;
  }

  /**
   * The event at the current version of its type.
   *
   * @throws EventStoreException when the payload is not a JSON object or a step is missing
   */
  public RecordedEvent apply(RecordedEvent event) {
    Map<Integer, Upcaster> steps = byType.get(event.type());
    if (steps == null || event.erased()) {
      return event;
    }
    int target = currentVersion(event.type());
    if (event.schemaVersion() >= target) {
      return event;
    }
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(event.data());
      int version = event.schemaVersion();
      while (version < target) {
        Upcaster step = steps.get(version);
        if (step == null) {
          throw new EventStoreException(
              "no upcaster for " + event.type() + " from version " + version + " to " + target);
        }
        node = step.upcast(node);
        version++;
      }
      return event.withData(event.type(), target, JSON.writeValueAsBytes(node));
    } catch (IOException | ClassCastException e) {
      throw new EventStoreException(
          "cannot upcast event "
              + event.eventId()
              + " ("
              + event.type()
              + " v"
              + event.schemaVersion()
              + "): payload is not a JSON object",
          e);
    }
  }

  /** Collects upcasters; not thread-safe. */
  public static final class Builder {
    private final Map<String, Map<Integer, Upcaster>> byType = new HashMap<>();

    /** Registers the step of {@code type} from {@code fromVersion} to {@code fromVersion + 1}. */
    public Builder add(String type, int fromVersion, Upcaster upcaster) {
      Checks.atLeast("fromVersion", fromVersion, 1);
      Upcaster previous =
          byType.computeIfAbsent(type, t -> new HashMap<>()).putIfAbsent(fromVersion, upcaster);
      if (previous != null) {
        throw new IllegalArgumentException(
            "an upcaster for " + type + " from version " + fromVersion + " is already registered");
      }
      return this;
    }

    public Upcasters build() {
      Map<String, Map<Integer, Upcaster>> copy = new HashMap<>();
      byType.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
      return new Upcasters(Map.copyOf(copy));
    }
  }
}
