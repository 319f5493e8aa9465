package io.segmentredshift.servlet;

import io.segmentredshift.webhook.HostileTrafficContract;
import io.segmentredshift.webhook.WebhookHandler;

/** Hostile traffic on Tomcat (11 and 10.1, like every Tomcat*Test). */
class TomcatHostileTrafficTest extends HostileTrafficContract {
  @Override
  protected Server start(WebhookHandler handler) throws Exception {
    return TomcatWebhookTest.mounted(otherDir, handler);
  }
}
