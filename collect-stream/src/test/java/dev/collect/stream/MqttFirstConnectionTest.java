package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.collect.core.PipelineContext;
import dev.collect.core.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "A first connection that fails makes {@code open} throw, without retrying": against a server that
 * accepts each TCP connection and closes it at once, counting the connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttFirstConnectionTest {

  /** Accepts and closes every connection, counting them. */
  static final class ClosingServer implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();
    final Thread thread;

    ClosingServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              },
              "closing-server");
      thread.setDaemon(true);
      thread.start();
    }

    String uri() {
      return "tcp://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      thread.join(5_000);
    }
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void aFailedFirstConnectionMakesOpenThrowAfterOneAttempt(MqttVersion version) throws Exception {
    try (ClosingServer server = new ClosingServer()) {
      Source<byte[]> source =
          Mqtt.source(
              MqttSourceConfig.builder()
                  .serverUri(server.uri())
                  .clientId("first-connection-" + version)
                  .subscribe("t/#", 1)
                  .version(version)
                  .connectionTimeout(Duration.ofSeconds(5))
                  .build());

      Throwable thrown =
          catchThrowable(
              () -> source.open(new PipelineContext("p", new SimpleMeterRegistry(), null)));
      // Longer than the first reconnect delay (1 s, doubling): a retry would have connected again.
      Thread.sleep(2_500);
      source.close();

      assertThat(thrown).isNotNull();
      assertThat(server.accepted.get()).isEqualTo(1);
    }
  }

  @Test
  void aRefusedFirstConnectionMakesOpenThrow() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Source<byte[]> source =
        Mqtt.source(
            MqttSourceConfig.builder()
                .serverUri("tcp://127.0.0.1:" + port)
                .clientId("refused")
                .subscribe("t/#", 1)
                .connectionTimeout(Duration.ofSeconds(5))
                .build());

    Throwable thrown =
        catchThrowable(
            () -> source.open(new PipelineContext("p", new SimpleMeterRegistry(), null)));
    source.close();

    assertThat(thrown).isNotNull();
  }
}
