package io.segmentredshift.servlet;

import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookRequest;
import io.segmentredshift.webhook.WebhookResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a {@link WebhookHandler} in any jakarta.servlet 6 container (Jetty 12, Tomcat 10.1 and
 * 11). Map it to a path such as {@code /segment/*}; the handler's routes are relative to it. It
 * needs asynchronous support ({@code <async-supported>true</async-supported>}, or {@code
 * setAsyncSupported(true)} when registered in code).
 *
 * <p>Programmatically: {@code new SegmentWebhookServlet(handler)}. Declared by class name (in
 * {@code web.xml}, or by {@code ServletContext.addServlet(name, SegmentWebhookServlet.class)}), it
 * takes its handler from the {@code ServletContext} attribute {@value #HANDLER_ATTRIBUTE}, or from
 * the attribute named by the init parameter {@value #HANDLER_ATTRIBUTE_PARAM}; the application puts
 * it there, e.g. in a {@code ServletContextListener}, and owns its lifecycle.
 *
 * <p>No container thread waits for a client or for the disk: the body is read with a non-blocking
 * {@link ReadListener}, at most {@link WebhookHandler#maxBodyBytes()} bytes ({@code Content-Length}
 * over it is answered 413 at once), within {@link WebhookHandler#requestTimeout()}; the answer is
 * written when the sink's future completes.
 */
public final class SegmentWebhookServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The default {@code ServletContext} attribute that holds the handler of a declared servlet. */
  public static final String HANDLER_ATTRIBUTE = "io.segmentredshift.webhook.WebhookHandler";

  /** The init parameter that names another attribute to take the handler from. */
  public static final String HANDLER_ATTRIBUTE_PARAM = "handler-attribute";

  private transient volatile WebhookHandler handler;

  /** A servlet that finds its handler in a {@code ServletContext} attribute at {@link #init()}. */
  public SegmentWebhookServlet() {}

  /** A servlet that serves {@code handler}. */
  public SegmentWebhookServlet(WebhookHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler == null");
  }

  @Override
  public void init() throws ServletException {
    if (handler != null) {
      return;
    }
    String param = getInitParameter(HANDLER_ATTRIBUTE_PARAM);
    String name = param == null || param.isBlank() ? HANDLER_ATTRIBUTE : param.strip();
    if (!(getServletContext().getAttribute(name) instanceof WebhookHandler found)) {
      throw new ServletException(
          "no WebhookHandler in the ServletContext attribute \""
              + name
              + "\": set it before the servlet starts, e.g. in a ServletContextListener");
    }
    handler = found;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if (!request.isAsyncSupported()) {
      throw new ServletException(
          "SegmentWebhookServlet needs asynchronous support: declare it with"
              + " <async-supported>true</async-supported> or setAsyncSupported(true)");
    }
    if (request.getContentLengthLong() > handler.maxBodyBytes()) {
      write(response, handler.bodyTooLarge());
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(handler.requestTimeout().toMillis());
    Exchange exchange = new Exchange(request, async, request.getInputStream());
    async.addListener(exchange);
    exchange.in.setReadListener(exchange);
  }

  private static void write(HttpServletResponse response, WebhookResponse answer)
      throws IOException {
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }

  /** The path relative to the servlet's mapping, as the handler's routes expect it. */
  private static String path(HttpServletRequest request) {
    String info = request.getPathInfo();
    if (info != null) {
      return info;
    }
    MappingMatch match = request.getHttpServletMapping().getMappingMatch();
    return match == MappingMatch.PATH || match == MappingMatch.CONTEXT_ROOT
        ? "/"
        : request.getServletPath();
  }

  /** One request: reads its body without blocking, then answers once. */
  private final class Exchange implements ReadListener, AsyncListener {
    private final HttpServletRequest request;
    private final AsyncContext async;
    private final ServletInputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] chunk = new byte[8192];
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile boolean read;

    Exchange(HttpServletRequest request, AsyncContext async, ServletInputStream in) {
      this.request = request;
      this.async = async;
      this.in = in;
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!answered.get() && in.isReady() && !in.isFinished()) {
        int n = in.read(chunk);
        if (n < 0) {
          return;
        }
        body.write(chunk, 0, n);
        if (body.size() > handler.maxBodyBytes()) {
          answer(handler.bodyTooLarge());
          return;
        }
      }
    }

    @Override
    public void onAllDataRead() {
      read = true;
      if (answered.get()) {
        return;
      }
      WebhookRequest webhookRequest =
          new WebhookRequest(
              request.getMethod(),
              path(request),
              request::getHeader,
              new ByteArrayInputStream(body.toByteArray()));
      handler
          .handle(webhookRequest)
          .whenComplete(
              (answer, error) -> startAnswer(answer != null ? answer : handler.storeTimedOut()));
    }

    @Override
    public void onError(Throwable t) {
      // The client went away or the container gave up reading; answer if anyone still listens.
      answer(read ? handler.storeTimedOut() : handler.bodyTimedOut());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      answer(read ? handler.storeTimedOut() : handler.bodyTimedOut());
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}

    /** Writes from a container thread: the sink completes on its own thread. */
    private void startAnswer(WebhookResponse answer) {
      try {
        async.start(() -> answer(answer));
      } catch (IllegalStateException e) {
        // Completed already, by a timeout or an error.
      }
    }

    private void answer(WebhookResponse answer) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      try {
        write((HttpServletResponse) async.getResponse(), answer);
      } catch (IOException | IllegalStateException e) {
        // The client is gone; there is nobody to tell.
      } finally {
        async.complete();
      }
    }
  }
}
