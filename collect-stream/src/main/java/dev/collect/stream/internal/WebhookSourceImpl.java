package dev.collect.stream.internal;

import com.sun.net.httpserver.HttpHandler;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.spi.BoundedHandOff;
import dev.collect.stream.WebhookSource;
import dev.collect.stream.WebhookSourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook source on an embedded Jetty server (its core HTTP/1.1 layer, no servlets). Jetty
 * rather than the JDK's {@code jdk.httpserver}: the JDK's server answers {@code 100 Continue}
 * before the application sees a request, so an oversized upload cannot be refused before it is
 * sent, and it turns {@code TCP_NODELAY} on only through a JVM-wide system property (without it
 * every answer waits ~40 ms for a delayed ACK). Jetty sets it per connection. Requests are answered
 * by {@link WebhookProtocol}, through {@link WebhookHandler} on the built-in server and through
 * {@link JdkWebhookHandler} or {@link ServletExchange} where the user mounts it; accepted events
 * wait in a bounded buffer for the pipeline's reader thread. A mounted source starts no server.
 */
public final class WebhookSourceImpl implements WebhookSource {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSourceImpl.class);

  /** Jetty's own threads beside the request threads: one acceptor, one selector. */
  private static final int SERVER_THREADS = 2;

  /** How long a connection may stay silent, also while a request body is read or discarded. */
  private static final long IDLE_TIMEOUT_MILLIS = 30_000;

  private final WebhookSourceConfig config;
  private final boolean builtInServer;
  private final BoundedHandOff<Envelope<byte[]>> buffer;
  private final AtomicLong sequence = new AtomicLong();
  private final WebhookProtocol protocol;
  private final JdkWebhookHandler httpHandler;
  private volatile WebhookMeters meters;
  private Server server;
  private ServerConnector connector;
  private volatile boolean running;

  public WebhookSourceImpl(WebhookSourceConfig config, boolean builtInServer) {
    this.config = config;
    this.builtInServer = builtInServer;
    this.buffer =
        BoundedHandOff.of(
            config.bufferEvents(), config.bufferBytes(), e -> 1, WebhookSourceImpl::estimatedBytes);
    this.protocol =
        new WebhookProtocol(
            config,
            new ReplayGuard(100_000, config.timestampTolerance(), config.clock()),
            this::enqueue,
            () -> running,
            () -> meters);
    this.httpHandler = new JdkWebhookHandler(protocol);
  }

  WebhookProtocol protocol() {
    return protocol;
  }

  @Override
  public HttpHandler httpHandler() {
    return httpHandler;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) throws Exception {
    meters = new WebhookMeters(context.meterRegistry(), context.pipeline(), config.name());
    if (!builtInServer) {
      running = true;
      LOG.info("webhook source '{}' open, answering where its handler is mounted", name());
      return;
    }
    String threadName = "collect-webhook-" + config.name();
    QueuedThreadPool threads =
        new QueuedThreadPool(config.threads() + SERVER_THREADS, SERVER_THREADS + 1);
    threads.setName(threadName);
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    server = new Server(threads, new ScheduledExecutorScheduler(threadName + "-timer", true), null);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector =
        config.keyStore() == null
            ? new ServerConnector(server, 1, 1, new HttpConnectionFactory(http))
            : new ServerConnector(
                server,
                1,
                1,
                new SslConnectionFactory(tls(), "http/1.1"),
                new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setAcceptQueueSize(256);
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    server.addConnector(connector);
    server.setHandler(
        new WebhookHandler(
            config.name(), config.path(), config.healthPath(), protocol, this::healthJson));
    server.start();
    running = true;
    LOG.info("webhook source '{}' listening on {}", name(), endpoint());
  }

  /**
   * Jetty's TLS settings with the configured key store, which is read here (never its password).
   */
  private SslContextFactory.Server tls() {
    char[] password = config.keyStorePassword();
    KeyStore keys;
    try (InputStream in = Files.newInputStream(config.keyStore())) {
      keys = KeyStore.getInstance(config.keyStoreType());
      keys.load(in, password);
    } catch (IOException | GeneralSecurityException e) {
      // The JDK's messages name the problem ("keystore password was incorrect"), not the password.
      throw new CollectException(
          "webhook source '"
              + name()
              + "': cannot read the key store "
              + config.keyStore()
              + " as "
              + config.keyStoreType()
              + ": "
              + e.getMessage(),
          e);
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keys);
    ssl.setKeyManagerPassword(new String(password));
    java.util.Arrays.fill(password, '\0');
    return ssl;
  }

  @Override
  public URI endpoint() {
    return uri(config.path());
  }

  @Override
  public URI health() {
    return uri(config.healthPath());
  }

  private URI uri(String path) {
    if (!builtInServer) {
      throw new IllegalStateException(
          "webhook source '"
              + name()
              + "' is mounted in your server and has no address of its own");
    }
    String scheme = config.keyStore() == null ? "http" : "https";
    return URI.create(scheme + "://" + config.host() + ":" + connector.getLocalPort() + path);
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    running = false;
    return buffer.awaitEmpty(timeout);
  }

  @Override
  public int buffered() {
    return buffer.size();
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) throws InterruptedException {
    return buffer.poll(maxRecords, timeout);
  }

  @Override
  public void commit(Position position) {
    // Nothing to acknowledge: each request was answered when its events entered the buffer.
  }

  /** Puts all events of one request in the buffer, or none (false) when they do not fit. */
  private boolean enqueue(List<byte[]> events, Map<String, String> headers) {
    List<Envelope<byte[]>> envelopes = new ArrayList<>(events.size());
    Instant now = Instant.now();
    synchronized (sequence) {
      // Sequence numbers follow buffer order, so positions grow in delivery order.
      long first = sequence.get();
      for (int i = 0; i < events.size(); i++) {
        byte[] event = events.get(i);
        envelopes.add(
            Envelope.builder(event)
                .raw(event)
                .ingestTime(now)
                .source(config.name())
                .position(Position.sequence(first + i))
                .headers(headers)
                .build());
      }
      if (!buffer.offerAll(envelopes)) {
        return false;
      }
      sequence.addAndGet(events.size());
      return true;
    }
  }

  /** An event's estimated bytes in the buffer: its body, its headers and the envelope. */
  private static long estimatedBytes(Envelope<byte[]> event) {
    long headerBytes = 0;
    for (Map.Entry<String, String> header : event.headers().entrySet()) {
      headerBytes += 2L * (header.getKey().length() + header.getValue().length());
    }
    return 96L + event.raw().length + headerBytes;
  }

  private String healthJson() {
    return "{\"status\":\""
        + (running ? "UP" : "DOWN")
        + "\",\"buffered\":"
        + buffer.size()
        + ",\"capacity\":"
        + buffer.maxRecords()
        + "}";
  }

  @Override
  public void close() throws Exception {
    running = false;
    int left = buffer.size();
    if (left > 0) {
      // Answered 202 but never processed: call drain() before stopping the pipeline.
      LOG.warn("webhook source '{}' closed with {} accepted events not processed", name(), left);
    }
    if (server != null) {
      // No graceful wait: it would wait for senders' idle keep-alive connections and then fail the
      // stop. A request cut off here was never answered 202, so its sender retries it.
      server.setStopTimeout(0);
      server.stop();
    }
  }
}
