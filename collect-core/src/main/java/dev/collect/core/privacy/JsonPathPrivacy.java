package dev.collect.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.collect.core.CollectException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Path rules over JSON objects and maps. */
final class JsonPathPrivacy implements JsonPrivacy {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Map<String, FieldRule> rules;
  private final Pseudonymizer pseudonymizer;
  private final FieldCipher cipher;

  JsonPathPrivacy(Map<String, FieldRule> rules, PrivacyKeys keys) {
    this.rules = rules;
    boolean hmac = rules.values().stream().anyMatch(r -> r.action() == PrivacyAction.PSEUDONYMIZE);
    this.pseudonymizer = hmac ? Pseudonymizer.of(keys) : null;
    this.cipher = FieldCipher.of(keys);
  }

  @Override
  public byte[] redactJson(byte[] json) {
    ObjectNode object = parse(json);
    apply(object);
    try {
      return MAPPER.writeValueAsBytes(object);
    } catch (IOException e) {
      throw new CollectException("cannot write the redacted JSON", e);
    }
  }

  private static ObjectNode parse(byte[] json) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return object;
  }

  /** The object holding the last part of {@code path}, or null when there is none. */
  private static ObjectNode parentOf(ObjectNode object, String[] parts) {
    ObjectNode parent = object;
    for (int i = 0; i < parts.length - 1 && parent != null; i++) {
      JsonNode child = parent.get(parts[i]);
      parent = child instanceof ObjectNode o ? o : null;
    }
    return parent;
  }

  @Override
  public String redactValuesIn(String text, byte[] json) {
    ObjectNode object = parse(json);
    if (text == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (String path : rules.keySet()) {
      String[] parts = path.split("\\.");
      ObjectNode parent = parentOf(object, parts);
      if (parent != null) {
        leaves(parent.get(parts[parts.length - 1]), values);
      }
    }
    // Longest first, so that a value containing another is replaced whole.
    values.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String value : values) {
      out = out.replace(value, "[redacted]");
    }
    return out;
  }

  private static void leaves(JsonNode node, List<String> into) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isContainerNode()) {
      node.forEach(child -> leaves(child, into));
    } else if (!node.asText().isEmpty()) {
      into.add(node.asText());
    }
  }

  /** Applies the rules to {@code object} in place. */
  void apply(ObjectNode object) {
    rules.forEach(
        (path, rule) -> {
          String[] parts = path.split("\\.");
          ObjectNode parent = parentOf(object, parts);
          if (parent == null) {
            return;
          }
          String field = parts[parts.length - 1];
          JsonNode value = parent.get(field);
          if (value == null || value.isNull()) {
            return;
          }
          if (rule.action() == PrivacyAction.DROP) {
            parent.remove(field);
          } else if (rule.action() == PrivacyAction.GENERALIZE && value.isIntegralNumber()) {
            long coarse = Generalizer.number(value.asLong(), rule.bucket());
            if (value.isInt()) {
              parent.put(field, (int) coarse);
            } else {
              parent.put(field, coarse);
            }
          } else {
            String text = value.isValueNode() ? value.asText() : value.toString();
            parent.set(field, TextNode.valueOf(rule.text(text, pseudonymizer, cipher)));
          }
        });
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> redactMap(Map<String, Object> record) {
    ObjectNode tree = MAPPER.valueToTree(record);
    apply(tree);
    return MAPPER.convertValue(tree, LinkedHashMap.class);
  }

  @Override
  public boolean covers(String path) {
    if (path == null) {
      return false;
    }
    for (String rule : rules.keySet()) {
      if (path.equals(rule) || path.startsWith(rule + ".") || path.startsWith(rule + "[")) {
        return true;
      }
    }
    return false;
  }
}
