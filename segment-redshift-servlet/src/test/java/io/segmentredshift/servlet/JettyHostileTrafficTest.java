package io.segmentredshift.servlet;

import io.segmentredshift.webhook.HostileTrafficContract;
import io.segmentredshift.webhook.WebhookHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** Hostile traffic on Jetty 12. */
class JettyHostileTrafficTest extends HostileTrafficContract {
  @Override
  protected Server start(WebhookHandler handler) throws Exception {
    return JettyWebhookTest.jetty(new ServletHolder(new SegmentWebhookServlet(handler)), null);
  }
}
