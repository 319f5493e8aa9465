package io.segmentredshift.netty;

import io.segmentredshift.webhook.HostileTrafficContract;
import io.segmentredshift.webhook.WebhookHandler;

/** Hostile traffic on Netty. */
class NettyHostileTrafficTest extends HostileTrafficContract {
  @Override
  protected Server start(WebhookHandler handler) {
    return NettyWebhookTest.netty(handler);
  }
}
