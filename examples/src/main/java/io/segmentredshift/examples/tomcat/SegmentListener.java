package io.segmentredshift.examples.tomcat;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.servlet.SegmentWebhookServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The web application's side of a {@link SegmentWebhookServlet} declared by class name (in {@code
 * web.xml}): it builds the {@link SegmentRedshift} when the application starts, puts its webhook
 * handler where the servlet looks for it (the context attribute {@value
 * SegmentWebhookServlet#HANDLER_ATTRIBUTE}), and closes it when the application stops, after the
 * servlets, so that what was acknowledged is loaded.
 *
 * <p>Its settings are context parameters, so that the secrets stay out of the WAR: in Tomcat a
 * {@code <Parameter>} of the context's {@code context.xml}, or {@code Context.addParameter} in
 * code. {@value #JDBC_URL} (a pgjdbc URL, with user and password), {@value #SECRET} (the Webhooks
 * destination's shared secret) and {@value #SPOOL_DIR} (where acknowledged events wait).
 */
public final class SegmentListener implements ServletContextListener {
  /** The context parameter with the warehouse's JDBC URL. */
  public static final String JDBC_URL = "segment.jdbc-url";

  /** The context parameter with the shared secret of Segment's Webhooks destination. */
  public static final String SECRET = "segment.secret";

  /** The context parameter with the spool directory. */
  public static final String SPOOL_DIR = "segment.spool-dir";

  private static final String INSTANCE = SegmentRedshift.class.getName();

  /** Called by the container. */
  public SegmentListener() {}

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    PGSimpleDataSource warehouse = new PGSimpleDataSource();
    warehouse.setURL(required(context, JDBC_URL));
    SegmentRedshift segment =
        SegmentRedshift.builder(warehouse)
            .schema("segment")
            .spool(Path.of(required(context, SPOOL_DIR)))
            .secrets(required(context, SECRET))
            .build();
    context.setAttribute(INSTANCE, segment);
    context.setAttribute(SegmentWebhookServlet.HANDLER_ATTRIBUTE, segment.webhookHandler());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (event.getServletContext().getAttribute(INSTANCE) instanceof SegmentRedshift segment) {
      segment.close(); // answers what is under way and loads the spool
    }
  }

  private static String required(ServletContext context, String name) {
    String value = context.getInitParameter(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("the context parameter " + name + " is not set");
    }
    return value;
  }
}
