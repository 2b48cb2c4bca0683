package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.collect.core.CollectException;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in server over TLS, with a key store made by the JDK's {@code keytool} for this run and
 * an {@link HttpClient} that trusts only its certificate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookTlsIT {
  private static final String PASSWORD = "pw-Zq81-never-printed";
  private static final byte[] SECRET =
      "0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  private static Path keyStore;
  private static SSLContext trusting;

  @BeforeAll
  static void makeKeyStore() throws Exception {
    keyStore = dir.resolve("webhook.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "webhook",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("webhook", keys.getCertificate("webhook"));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, trust.getTrustManagers(), null);
  }

  private static WebhookSourceConfig.Builder tlsConfig(String password) {
    return WebhookSourceConfig.builder()
        .port(0)
        .secret(SECRET)
        .tls(keyStore, password.toCharArray());
  }

  @Test
  void servesHttpsWithTheConfiguredKeyStoreAndNeverPrintsItsPassword() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    WebhookSourceConfig config = tlsConfig(PASSWORD).build();
    WebhookSource source = Webhook.source(config);
    TestSink<byte[]> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(source).to(sink).deadLetters(new TestDeadLetterSink()).build();
    HttpResponse<String> secure;
    Throwable plain;
    Throwable untrusting;
    RunReport report;
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      pipeline.start();
      while (!pipeline.isReady()) {
        Thread.sleep(10);
      }
      URI endpoint = source.endpoint();
      String body = "{\"id\":1}";
      long now = Instant.now().getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(now))
              .header(
                  WebhookSignature.SIGNATURE_HEADER,
                  WebhookSignature.sign(SECRET, now, body.getBytes(StandardCharsets.UTF_8)))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();

      secure =
          HttpClient.newBuilder()
              .sslContext(trusting)
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
      URI http = URI.create(endpoint.toString().replaceFirst("^https", "http"));
      plain =
          send(
              HttpClient.newHttpClient(),
              HttpRequest.newBuilder(http)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":2}"))
                  .timeout(Duration.ofSeconds(10))
                  .build());
      untrusting =
          send(
              HttpClient.newHttpClient(),
              HttpRequest.newBuilder(endpoint)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":3}"))
                  .build());
      assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
      assertThat(endpoint.getScheme()).isEqualTo("https");
    } finally {
      report = pipeline.stop(Duration.ofSeconds(10));
      System.setErr(err);
    }

    assertThat(secure.statusCode()).isEqualTo(202);
    assertThat(plain).isInstanceOf(IOException.class);
    assertThat(untrusting).isInstanceOf(javax.net.ssl.SSLException.class);
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.written()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(logs.toString(StandardCharsets.UTF_8))
        .contains("listening on https://")
        .doesNotContain(PASSWORD);
    assertThat(config.toString()).contains("tls=true").doesNotContain(PASSWORD);
  }

  /** What went wrong sending {@code request}, or null when an answer came back. */
  private static Throwable send(HttpClient client, HttpRequest request) throws Exception {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 202 ? null : new IOException("" + response.statusCode());
    } catch (IOException e) {
      return e;
    }
  }

  @Test
  void aWrongPasswordFailsTheOpenNamingTheKeyStoreButNeitherPassword() throws Exception {
    String wrong = "wrong-Xy93-password";
    WebhookSource source = Webhook.source(tlsConfig(wrong).build());

    Throwable failure =
        catchThrowable(
            () -> source.open(new PipelineContext("tls", new SimpleMeterRegistry(), null)));
    source.close();

    assertThat(failure)
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("cannot read the key store")
        .hasMessageContaining(keyStore.getFileName().toString())
        .hasMessageContaining("password was incorrect");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong).doesNotContain(PASSWORD);
      assertThat(t.toString()).doesNotContain(wrong);
    }
  }
}
