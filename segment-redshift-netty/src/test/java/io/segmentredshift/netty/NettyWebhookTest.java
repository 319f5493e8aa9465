package io.segmentredshift.netty;

import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookServerContract;
import java.net.URI;

/** The HTTP contract on Netty, into a pipeline with a spool. */
class NettyWebhookTest extends WebhookServerContract {
  @Override
  protected Server start(WebhookHandler handler) {
    return netty(handler);
  }

  /** A Netty server on a free loopback port, as the contracts need it. */
  static Server netty(WebhookHandler handler) {
    SegmentNettyServer netty =
        SegmentNettyServer.builder(handler)
            .bindAddress("127.0.0.1")
            .port(0)
            .workerThreads(2)
            .start();
    URI base = URI.create("http://127.0.0.1:" + netty.port());
    return new Server() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() {
        netty.close();
      }
    };
  }
}
