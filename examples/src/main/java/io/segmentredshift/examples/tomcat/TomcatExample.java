package io.segmentredshift.examples.tomcat;

import io.segmentredshift.servlet.SegmentWebhookServlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Segment's webhooks in a web application on embedded Tomcat 11, declared the {@code web.xml} way:
 * the servlet is named by its class and finds its handler in a context attribute that {@link
 * SegmentListener} fills. Given a directory, it deploys that web application (its {@code
 * WEB-INF/web.xml} declares the listener and the servlet, as {@code src/main/webapp} of this module
 * does); without one, it declares the same three things in code.
 *
 * <p>Settings from the environment, handed to the application as context parameters: {@code
 * JDBC_URL} (default {@code jdbc:postgresql://localhost:5432/postgres?user=postgres}), {@code
 * SEGMENT_SECRET} (required), {@code SPOOL_DIR} (default {@code segment-spool}); and {@code PORT}
 * (default 8080). Segment then posts to {@code http://HOST:PORT/segment/webhook}.
 */
public final class TomcatExample {
  private TomcatExample() {}

  /**
   * Starts Tomcat and returns; SIGTERM or Ctrl-C stops it cleanly.
   *
   * @param args nothing, or the directory of a web application to deploy
   * @throws Exception when Tomcat cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Map<String, String> parameters =
        Map.of(
            SegmentListener.JDBC_URL,
            env.getOrDefault("JDBC_URL", "jdbc:postgresql://localhost:5432/postgres?user=postgres"),
            SegmentListener.SECRET,
            env.getOrDefault("SEGMENT_SECRET", ""),
            SegmentListener.SPOOL_DIR,
            env.getOrDefault("SPOOL_DIR", "segment-spool"));
    Path webapp = args.length > 0 ? Path.of(args[0]) : null;
    Tomcat tomcat = start(Integer.parseInt(env.getOrDefault("PORT", "8080")), parameters, webapp);
    System.out.println(
        "listening on port " + tomcat.getConnector().getLocalPort() + ": POST /segment/webhook");

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Stopping the application destroys the servlet (after the requests under way),
                  // then SegmentListener closes the library, which loads what the spool holds.
                  try {
                    tomcat.stop();
                    tomcat.destroy();
                  } catch (LifecycleException e) {
                    throw new IllegalStateException("stopping Tomcat failed", e);
                  }
                  System.out.println("stopped");
                }));
  }

  /**
   * Starts Tomcat on {@code port} (0 picks a free one) with one web application at the root.
   *
   * @param port the HTTP port
   * @param parameters the context parameters of the application ({@link SegmentListener}'s)
   * @param webapp the application's directory (with {@code WEB-INF/web.xml}), or null to declare
   *     the listener and the servlet in code
   * @return the started server
   * @throws LifecycleException when Tomcat or the application cannot start
   * @throws IOException when Tomcat's working directory cannot be made
   */
  public static Tomcat start(int port, Map<String, String> parameters, Path webapp)
      throws LifecycleException, IOException {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setPort(port);
    tomcat.getConnector(); // the HTTP connector

    Context context;
    if (webapp != null) {
      // Only the application's web.xml: no default servlet, no JSP (not on this class path).
      tomcat.setAddDefaultWebXmlToWebapp(false);
      context = tomcat.addWebapp("", webapp.toAbsolutePath().toString());
      // The web.xml is metadata-complete: nothing on the class path needs scanning.
      ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    } else {
      // What web.xml declares, in code.
      context = tomcat.addContext("", null);
      context.addApplicationListener(SegmentListener.class.getName());
      Wrapper servlet =
          Tomcat.addServlet(context, "segment", SegmentWebhookServlet.class.getName());
      servlet.setLoadOnStartup(1);
      servlet.setAsyncSupported(true);
      context.addServletMapping("/segment/*", "segment");
    }
    parameters.forEach(context::addParameter);
    tomcat.start();
    if (!context.getState().isAvailable()) {
      // Tomcat logs why (a missing setting, a warehouse out of reach) and serves 404: stop instead.
      tomcat.stop();
      tomcat.destroy();
      throw new IllegalStateException("the web application did not start: see the log above");
    }
    return tomcat;
  }
}
