package io.segmentredshift.netty;

/**
 * The HTTP contract on Netty into a pipeline without a spool: each request is loaded before it is
 * answered, so every row is read right after its 200, without waiting.
 */
class NettyUnspooledWebhookTest extends NettyWebhookTest {
  @Override
  protected boolean spooled() {
    return false;
  }
}
