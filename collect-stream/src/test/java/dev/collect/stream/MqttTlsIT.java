package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.MosquittoProcess;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Pipelines;
import dev.collect.stream.support.Services.MqttBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT source over TLS, against a Mosquitto process the test starts with a TLS listener and a
 * self-signed certificate made by {@code openssl} (both needed: skipped loudly without them,
 * failing under {@code CI=true}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttTlsIT {
  @TempDir Path dir;

  @Test
  void receivesOverTlsWithTheGivenTrustManagersAndRefusesAnUntrustedServer() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    makeCertificate(cert, key);
    // Mosquitto started as root reads its files as the user 'mosquitto'.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(cert, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    int tlsPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      tlsPort = probe.getLocalPort();
    }
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/tls/" + run;
    try (MosquittoProcess broker =
        MosquittoProcess.start(
            dir, "listener " + tlsPort + " 127.0.0.1", "certfile " + cert, "keyfile " + key)) {
      String tlsUri = "ssl://127.0.0.1:" + tlsPort;
      MqttBroker plain = new MqttBroker(broker.uri(), "a Mosquitto process of the test", true);
      TestSink<byte[]> sink = new TestSink<>();
      Pipeline pipeline =
          Pipeline.from(
                  Mqtt.source(
                      MqttSourceConfig.builder()
                          .serverUri(tlsUri)
                          .clientId("collect-it-tls-" + run)
                          .subscribe(topic, 1)
                          .trustManagers(trusting(cert))
                          .build()))
              .to(sink)
              .commitInterval(Duration.ofMillis(100))
              .build();
      Pipelines.startReady(pipeline);

      try (MqttTestClient publisher = MqttTestClient.publisher(plain)) {
        publisher.publish(topic, 3, 1, "secret");
      }
      assertThat(sink.awaitSize(3, Duration.ofSeconds(20))).isTrue();
      RunReport report = pipeline.stop(Duration.ofSeconds(10));
      Source<byte[]> untrusting =
          Mqtt.source(
              MqttSourceConfig.builder()
                  .serverUri(tlsUri)
                  .clientId("collect-it-tls-untrusting-" + run)
                  .subscribe(topic, 1)
                  .connectionTimeout(Duration.ofSeconds(3))
                  .build());

      assertThat(sink.values())
          .extracting(v -> new String(v, StandardCharsets.UTF_8))
          .containsExactly("secret0", "secret1", "secret2");
      assertThat(report.invariantHolds()).isTrue();
      // The JVM's default trust store does not know the self-signed certificate.
      assertThatThrownBy(
              () ->
                  untrusting.open(
                      new PipelineContext(
                          "tls", new SimpleMeterRegistry(), CheckpointStore.inMemory())))
          .hasStackTraceContaining("SSLHandshakeException");
      untrusting.close();
    }
  }

  private static TrustManagerFactory trusting(Path cert) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      store.setCertificateEntry(
          "broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  private static void makeCertificate(Path cert, Path key) throws Exception {
    String openssl = null;
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(d, "openssl").canExecute()) {
        openssl = new File(d, "openssl").getPath();
      }
    }
    if (openssl == null) {
      String message = "!!! no openssl binary on the PATH to make the test certificate";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + "; under CI=true this fails the build");
      }
      System.err.println(message + "; SKIPPING the test");
      Assumptions.abort(message);
    }
    Process process =
        new ProcessBuilder(
                List.of(
                    openssl,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout",
                    key.toString(),
                    "-out",
                    cert.toString()))
            .redirectErrorStream(true)
            .redirectOutput(cert.resolveSibling("openssl.log").toFile())
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(Files.readString(cert.resolveSibling("openssl.log")))
        .isZero();
  }
}
