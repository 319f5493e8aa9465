package io.segmentredshift.servlet;

import io.segmentredshift.webhook.WebhookHandler;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * What an application's listener does for a servlet declared in web.xml: it puts the handler it
 * built into the context attribute the servlet's init parameter names. The tests hand it the
 * handler through {@link #next}.
 */
public final class HandlerListener implements ServletContextListener {
  /** The attribute named in the test web.xml. */
  static final String ATTRIBUTE = "shop.segmentHandler";

  /** The handler the next started web application gets. */
  static volatile WebhookHandler next;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    event.getServletContext().setAttribute(ATTRIBUTE, next);
  }
}
