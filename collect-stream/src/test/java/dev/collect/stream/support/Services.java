package dev.collect.stream.support;

import dev.collect.stream.MqttVersion;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * Addresses of the machine's services from environment variables with loopback defaults. A test
 * whose service is unreachable is skipped loudly, except under {@code CI=true}, where it fails.
 *
 * <p>MQTT, in this order: {@code MQTT_URI} when set (it must answer; {@code MQTT_URI=moquette}
 * forces the in-JVM broker); the machine's Mosquitto on {@code tcp://127.0.0.1:1883}; a Mosquitto
 * process of this JVM on a free port when a {@code mosquitto} binary exists; else, outside CI only,
 * Moquette in this JVM. Moquette speaks MQTT 3.1.1 only, so MQTT 5 tests skip on it.
 */
public final class Services {
  private Services() {}

  /** An MQTT broker the tests may use, and whether it speaks MQTT 5. */
  public record MqttBroker(String uri, String kind, boolean mqtt5) {
    /** The best protocol version this broker speaks. */
    public MqttVersion version() {
      return mqtt5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    }
  }

  private static MqttBroker mqtt;

  /** The broker for MQTT 3.1.1 and 5 tests alike. */
  public static synchronized MqttBroker mqtt() {
    if (mqtt == null) {
      mqtt = findMqtt();
      System.err.println("MQTT tests run against " + mqtt.kind() + " at " + mqtt.uri());
    }
    return mqtt;
  }

  /** The broker for a test of {@code version}: MQTT 5 tests skip on Moquette (outside CI). */
  public static MqttBroker mqtt(MqttVersion version) {
    MqttBroker broker = mqtt();
    if (version == MqttVersion.V5 && !broker.mqtt5()) {
      String message =
          "!!! only " + broker.kind() + " (MQTT 3.1.1) is available; SKIPPING this MQTT 5 test";
      System.err.println(message);
      Assumptions.abort(message);
    }
    return broker;
  }

  /** {@code tcp://...} of {@link #mqtt()}. */
  public static String mqttUri() {
    return mqtt().uri();
  }

  private static MqttBroker findMqtt() {
    String configured = System.getenv("MQTT_URI");
    if ("moquette".equals(configured)) {
      return moquette();
    }
    if (configured != null) {
      URI parsed = URI.create(configured);
      requireReachable("MQTT broker", parsed.getHost(), parsed.getPort());
      return new MqttBroker(configured, "the broker at MQTT_URI", true);
    }
    if (reachable("127.0.0.1", 1883)) {
      return new MqttBroker("tcp://127.0.0.1:1883", "the machine's broker", true);
    }
    if (MosquittoProcess.binaryOrNull() != null) {
      try {
        MosquittoProcess process =
            MosquittoProcess.start(Files.createTempDirectory("collect-mosquitto"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(process)));
        return new MqttBroker(process.uri(), "a Mosquitto process of the tests", true);
      } catch (Exception e) {
        throw new IllegalStateException("could not start mosquitto", e);
      }
    }
    if (ci()) {
      throw new AssertionError(
          "!!! no Mosquitto at 127.0.0.1:1883 and no mosquitto binary; under CI=true this fails");
    }
    System.err.println(
        "!!! no Mosquitto (127.0.0.1:1883 or a mosquitto binary): the MQTT tests use Moquette in"
            + " this JVM and the MQTT 5 tests are SKIPPED");
    return moquette();
  }

  private static MqttBroker moquette() {
    try {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort(); // Moquette refuses clients when given port 0
      }
      Properties properties = new Properties();
      properties.setProperty("host", "127.0.0.1");
      properties.setProperty("port", Integer.toString(port));
      properties.setProperty("allow_anonymous", "true");
      properties.setProperty("persistence_enabled", "false");
      properties.setProperty("telemetry_enabled", "false");
      Server server = new Server();
      server.startServer(new MemoryConfig(properties));
      Runtime.getRuntime().addShutdownHook(new Thread(server::stopServer));
      return new MqttBroker("tcp://127.0.0.1:" + port, "Moquette in this JVM", false);
    } catch (IOException e) {
      throw new IllegalStateException("could not start Moquette", e);
    }
  }

  private static void close(MosquittoProcess process) {
    try {
      process.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void requireReachable(String what, String host, int port) {
    if (!reachable(host, port)) {
      String message = "!!! " + what + " at " + host + ":" + port + " is not reachable";
      if (ci()) {
        throw new AssertionError(message + "; under CI=true this fails the build");
      }
      System.err.println(message + "; SKIPPING the test");
      Assumptions.abort(message);
    }
  }
}
