package io.segmentredshift.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.auth.Signer;
import io.segmentredshift.testkit.SegmentTraffic;
import io.segmentredshift.webhook.Loopback;
import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookServerContract;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract on Jetty 12 (ee10), with the servlet mounted at {@code /segment/*}, into a
 * pipeline with a spool.
 */
class JettyWebhookTest extends WebhookServerContract {
  @Override
  protected Server start(WebhookHandler handler) throws Exception {
    return jetty(new ServletHolder(new SegmentWebhookServlet(handler)), null);
  }

  /** Starts Jetty with {@code holder} at /segment/*, and a context attribute if given. */
  static Server jetty(ServletHolder holder, WebhookHandler attribute) throws Exception {
    org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    if (attribute != null) {
      context.setAttribute(SegmentWebhookServlet.HANDLER_ATTRIBUTE, attribute);
    }
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/segment/*");
    jetty.setHandler(context);
    jetty.start();
    URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/segment");
    return new Server() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() {
        try {
          jetty.stop();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  @Test
  void aServletDeclaredByClassNameTakesItsHandlerFromTheContext() throws Exception {
    Server declared =
        opened(jetty(new ServletHolder(SegmentWebhookServlet.class), segment.webhookHandler()));
    byte[] body = message(SegmentTraffic.Kind.TRACK);
    HttpResponse<byte[]> r =
        Loopback.send(
            client,
            java.net.http.HttpRequest.newBuilder(URI.create(declared.base() + "/webhook"))
                .header("Content-Type", "application/json")
                .header("X-Signature", Signer.of(SECRET).sign(body))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    assertEquals(200, r.statusCode());
    assertEquals(List.of(idOf(body)), warehouse().ids(HOOKS, "tracks"));
  }
}
