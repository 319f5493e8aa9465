package io.segmentredshift.servlet;

/**
 * The HTTP contract on Jetty 12 into a pipeline without a spool: each request is loaded before it
 * is answered, so every row is read right after its 200, without waiting.
 */
class JettyUnspooledWebhookTest extends JettyWebhookTest {
  @Override
  protected boolean spooled() {
    return false;
  }
}
