package dev.collect.stream;

import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The webhook contract with {@link WebhookServlet} in an embedded servlet container (Jetty 12
 * ee10), mapped under a context path, as a user would.
 */
class ServletWebhookEndpointIT extends MountedWebhookEndpointContract {
  private Server server;

  @Override
  protected URI serve(WebhookSource source) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addServlet(new ServletHolder(new WebhookServlet(source)), "/hooks/events");
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app/hooks/events");
  }

  @Override
  protected void stopServing() throws Exception {
    if (server != null) {
      server.stop();
    }
  }
}
