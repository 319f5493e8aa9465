package io.segmentredshift.webhook;

import io.segmentredshift.event.EventType;
import java.util.List;

/** The routes of the HTTP surface (WEBHOOK.md), each with the methods it allows. */
enum Route {
  /** Segment Webhooks (classic and Actions); Actions may be set to PUT or PATCH. */
  WEBHOOK(List.of("POST", "PUT", "PATCH"), null),
  /** Tracking API {@code /v1/batch}, and {@code /v1/import}, where analytics-java posts. */
  BATCH(List.of("POST"), null),
  IDENTIFY(List.of("POST"), EventType.IDENTIFY),
  TRACK(List.of("POST"), EventType.TRACK),
  PAGE(List.of("POST"), EventType.PAGE),
  SCREEN(List.of("POST"), EventType.SCREEN),
  GROUP(List.of("POST"), EventType.GROUP),
  ALIAS(List.of("POST"), EventType.ALIAS),
  HEALTH(List.of("GET"), null);

  private final List<String> methods;
  private final EventType call;

  Route(List<String> methods, EventType call) {
    this.methods = methods;
    this.call = call;
  }

  /** The route of a path relative to the mount point (one trailing slash ignored), or null. */
  static Route of(String path) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return switch (p) {
      case "", "/", "/webhook" -> WEBHOOK;
      case "/v1/batch", "/v1/import" -> BATCH;
      case "/v1/identify" -> IDENTIFY;
      case "/v1/track" -> TRACK;
      case "/v1/page" -> PAGE;
      case "/v1/screen" -> SCREEN;
      case "/v1/group" -> GROUP;
      case "/v1/alias" -> ALIAS;
      case "/health" -> HEALTH;
      default -> null;
    };
  }

  boolean allows(String method) {
    return methods.contains(method);
  }

  /** The value of an {@code Allow} header. */
  String allow() {
    return String.join(", ", methods);
  }

  /** The call type of a single-call Tracking API route, or null. */
  EventType call() {
    return call;
  }

  /** True for the Tracking API routes, which authenticate with write keys. */
  boolean trackingApi() {
    return this != WEBHOOK && this != HEALTH;
  }
}
