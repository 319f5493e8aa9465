package io.segmentredshift.servlet;

/**
 * The HTTP contract on Tomcat (11 and 10.1, like every Tomcat*Test) into a pipeline without a
 * spool: each request is loaded before it is answered (the answer then comes from a loader thread
 * through the servlet's async context), so every row is read right after its 200.
 */
class TomcatUnspooledWebhookTest extends TomcatWebhookTest {
  @Override
  protected boolean spooled() {
    return false;
  }
}
