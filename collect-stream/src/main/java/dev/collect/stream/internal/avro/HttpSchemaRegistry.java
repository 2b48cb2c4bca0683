package dev.collect.stream.internal.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.stream.avro.SchemaRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The Confluent-compatible REST API over the JDK's HTTP client, with schemas cached by id. */
public final class HttpSchemaRegistry implements SchemaRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final String base;
  private final HttpClient client;
  private final Map<Integer, TypedSchema> byId = new ConcurrentHashMap<>();

  public HttpSchemaRegistry(URI baseUri) {
    String text = Objects.requireNonNull(baseUri, "baseUri").toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public Optional<TypedSchema> lookup(int id) throws IOException {
    TypedSchema cached = byId.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(base + "/schemas/ids/" + id)).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode type = JSON.readTree(response.body()).get("schemaType");
    TypedSchema schema = new TypedSchema(type(type), field(response, "schema").asText());
    byId.put(id, schema);
    return Optional.of(schema);
  }

  @Override
  public int register(String subject, TypedSchema schema) throws IOException {
    // Confluent's API takes no schemaType for Avro, its default.
    String body =
        JSON.writeValueAsString(
            schema.type() == SchemaType.AVRO
                ? Map.of("schema", schema.text())
                : Map.of("schemaType", schema.type().name(), "schema", schema.text()));
    String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions";
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    int id = field(response, "id").asInt();
    byId.put(id, schema);
    return id;
  }

  private static SchemaType type(JsonNode type) throws IOException {
    if (type == null || type.isNull()) {
      return SchemaType.AVRO;
    }
    try {
      return SchemaType.valueOf(type.asText());
    } catch (IllegalArgumentException e) {
      throw new IOException("schema registry answered an unknown schemaType " + type, e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(TIMEOUT).header("Accept", CONTENT_TYPE).build(),
              HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status != 404 && (status < 200 || status > 299)) {
        throw new IOException("schema registry answered HTTP " + status);
      }
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking the schema registry", e);
    }
  }

  private static JsonNode field(HttpResponse<String> response, String name) throws IOException {
    if (response.statusCode() == 404) {
      throw new IOException("schema registry answered HTTP 404");
    }
    JsonNode value = JSON.readTree(response.body()).get(name);
    if (value == null) {
      throw new IOException("schema registry's answer has no '" + name + "'");
    }
    return value;
  }
}
