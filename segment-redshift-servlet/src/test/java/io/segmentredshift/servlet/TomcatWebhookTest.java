package io.segmentredshift.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.segmentredshift.auth.Signer;
import io.segmentredshift.testkit.SegmentTraffic;
import io.segmentredshift.webhook.Loopback;
import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookServerContract;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract on embedded Tomcat, at the context root. Runs twice (see the module's pom): on
 * Tomcat 11 and on Tomcat 10.1, each asserting its version.
 */
class TomcatWebhookTest extends WebhookServerContract {
  @Override
  protected Server start(WebhookHandler handler) throws Exception {
    return mounted(otherDir, handler);
  }

  /** Tomcat with the servlet at the context root, its files under {@code dir}. */
  static Server mounted(Path dir, WebhookHandler handler) throws Exception {
    Tomcat tomcat = tomcat(dir);
    Context context = tomcat.addContext("", null);
    Wrapper wrapper = Tomcat.addServlet(context, "segment", new SegmentWebhookServlet(handler));
    wrapper.setAsyncSupported(true);
    context.addServletMapping("/*", "segment");
    return started(tomcat, "");
  }

  private static Tomcat tomcat(Path dir) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory(dir, "tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    return tomcat;
  }

  private static Server started(Tomcat tomcat, String mount) throws Exception {
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    URI base = URI.create("http://127.0.0.1:" + port + mount);
    return new Server() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() {
        try {
          tomcat.stop();
          tomcat.destroy();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  @Test
  void runsOnTheTomcatVersionOfThisRun() {
    String expected = System.getProperty("expected.tomcat.version");
    assertNotNull(expected, "the surefire execution sets expected.tomcat.version");
    assertEquals(expected, ServerInfo.getServerNumber().replaceFirst("\\.0$", ""));
  }

  @Test
  void aServletDeclaredInWebXmlTakesItsHandlerFromTheNamedAttribute() throws Exception {
    HandlerListener.next = segment.webhookHandler();
    Tomcat tomcat = tomcat(otherDir);
    Context context = tomcat.addWebapp("", webapp().toString());
    // The web.xml is metadata-complete: no need to scan the test classpath's jars.
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    Server declared = opened(started(tomcat, "/segment"));
    byte[] body = message(SegmentTraffic.Kind.PAGE);
    HttpResponse<byte[]> r =
        Loopback.send(
            client,
            HttpRequest.newBuilder(URI.create(declared.base() + "/webhook"))
                .header("Content-Type", "application/json")
                .header("X-Signature", Signer.of(SECRET).sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    assertEquals(200, r.statusCode());
    assertEquals(List.of(idOf(body)), warehouse().ids(HOOKS, "pages"));
  }

  private static Path webapp() throws URISyntaxException {
    return new File(TomcatWebhookTest.class.getResource("/webapp/WEB-INF/web.xml").toURI())
        .toPath()
        .getParent()
        .getParent();
  }
}
