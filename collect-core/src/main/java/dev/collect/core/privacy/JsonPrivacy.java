package dev.collect.core.privacy;

/**
 * Personal-data rules for JSON-shaped data, by field path ({@code user.email}, {@code
 * properties.ip}): applied to JSON bytes, Jackson trees and maps. Built by {@link
 * Privacy#json(PrivacyKeys)}. Immutable and thread-safe.
 */
public interface JsonPrivacy {

  /**
   * The same JSON with every rule applied.
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON object
   */
  byte[] redactJson(byte[] json);

  /** Applies the rules to a map-shaped record (nested maps for nested paths), returning a copy. */
  java.util.Map<String, Object> redactMap(java.util.Map<String, Object> record);

  /**
   * {@code text} with every occurrence of a value that a rule covers in {@code json} (the value as
   * text; every leaf of an object or array) replaced by {@code [redacted]}: for messages that may
   * quote the record, such as an exception's.
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON object
   */
  String redactValuesIn(String text, byte[] json);

  /** Whether a rule covers {@code path} or a parent of it. */
  boolean covers(String path);
}
