package io.segmentredshift.servlet;

import io.segmentredshift.webhook.RealClientContract;
import io.segmentredshift.webhook.WebhookHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** analytics-java into Jetty 12, the servlet at {@code /segment/*}, and on into PostgreSQL. */
class JettyRealClientTest extends RealClientContract {
  @Override
  protected Server start(WebhookHandler handler) throws Exception {
    return JettyWebhookTest.jetty(new ServletHolder(new SegmentWebhookServlet(handler)), null);
  }
}
