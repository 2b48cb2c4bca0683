package dev.collect.examples.support;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * An MQTT broker in this JVM (Moquette) on a free loopback port, in memory, for examples that
 * should run without servers. Not for production: give the examples a real broker for that.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {
  private final Server server = new Server();
  private final int port;

  private EmbeddedMqttBroker(int port) {
    this.port = port;
  }

  /** Starts a broker; close it to stop. */
  public static EmbeddedMqttBroker start() throws IOException {
    // Moquette refuses clients when given port 0, so pick a free port first.
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Properties properties = new Properties();
    properties.setProperty("host", "127.0.0.1");
    properties.setProperty("port", Integer.toString(port));
    properties.setProperty("allow_anonymous", "true");
    properties.setProperty("persistence_enabled", "false");
    properties.setProperty("telemetry_enabled", "false");
    EmbeddedMqttBroker broker = new EmbeddedMqttBroker(port);
    broker.server.startServer(new MemoryConfig(properties));
    return broker;
  }

  /** {@code tcp://127.0.0.1:port}. */
  public String serverUri() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
