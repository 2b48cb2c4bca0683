package dev.collect.core.privacy;

import dev.collect.core.spi.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Entry point to the privacy transforms.
 *
 * <pre>{@code
 * record Click(@Personal(PSEUDONYMIZE) String userId, @Personal(GENERALIZE) String ip, String page) {}
 * UnaryOperator<Click> protect = Privacy.forType(Click.class, PrivacyKeys.hmac(secret));
 * flow.map(protect::apply)
 * }</pre>
 *
 * <p>Transforms are immutable and thread-safe; they return new values and never change their input.
 */
public final class Privacy {
  private Privacy() {}

  /**
   * The {@link Personal} rules of a Java record class (nested records too), checked now: a rule
   * that does not fit its field's type fails here, not on the first record.
   */
  public static <T> UnaryOperator<T> forType(Class<T> type, PrivacyKeys keys) {
    return new RecordPrivacy<>(type, keys);
  }

  /** Starts path rules for JSON bytes, Jackson trees and maps. */
  public static JsonRules json(PrivacyKeys keys) {
    return new JsonRules(keys);
  }

  /** Collects path rules; {@link #build()} makes the immutable {@link JsonPrivacy}. */
  public static final class JsonRules {
    private final PrivacyKeys keys;
    private final Map<String, FieldRule> rules = new LinkedHashMap<>();

    private JsonRules(PrivacyKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Applies {@code action} at the dot path {@code path}, e.g. {@code "user.email"}. */
    public JsonRules field(String path, PrivacyAction action) {
      Checks.notBlank("path", path);
      rules.put(path, FieldRule.of(Objects.requireNonNull(action, "action")));
      return this;
    }

    public JsonPrivacy build() {
      return new JsonPathPrivacy(Map.copyOf(rules), keys);
    }
  }
}
