package dev.collect.stream;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The webhook contract with {@link WebhookSource#httpHandler()} mounted in the JDK's {@code
 * HttpServer}, as a user would: on a context path of their choosing, with their own executor.
 */
class JdkHttpServerWebhookEndpointIT extends MountedWebhookEndpointContract {
  private HttpServer server;
  private ExecutorService executor;

  @Override
  protected URI serve(WebhookSource source) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/hooks/events", source.httpHandler());
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/events");
  }

  @Override
  protected void stopServing() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
