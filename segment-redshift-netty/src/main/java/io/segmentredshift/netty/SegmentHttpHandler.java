package io.segmentredshift.netty;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookRequest;
import io.segmentredshift.webhook.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a {@link WebhookHandler} in a Netty pipeline: the last handler after {@link
 * HttpServerCodec} and an aggregator bounded by {@link WebhookHandler#maxBodyBytes()}. {@link
 * #addTo(ChannelPipeline)} adds all of them, with a per-request deadline ({@link
 * WebhookHandler#requestTimeout()}). Sharable: one instance serves every channel.
 *
 * <p>The event loop never waits for the disk: the handler verifies and parses on the event loop
 * (the body is already in memory), hands the events to the sink, and the answer is written on the
 * channel's event loop when the sink's future completes. Answers on one connection keep the order
 * of its requests. Keep-alive follows HTTP/1.1 ({@code Connection: close} is honoured).
 */
@ChannelHandler.Sharable
public final class SegmentHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final AttributeKey<CompletableFuture<Void>> LAST_ANSWER =
      AttributeKey.valueOf(SegmentHttpHandler.class, "lastAnswer");

  private static final WebhookResponse BAD_REQUEST =
      new WebhookResponse(
          400,
          Map.of("Content-Type", "application/json"),
          "{\"error\":\"bad_request\",\"message\":\"the request is not valid HTTP/1.1\"}"
              .getBytes(StandardCharsets.UTF_8));

  private final WebhookHandler handler;
  private volatile boolean closing;

  /** A Netty handler that serves {@code handler}. */
  public SegmentHttpHandler(WebhookHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler == null");
  }

  /**
   * Adds the whole HTTP stack to {@code pipeline}: {@link HttpServerCodec}, the request deadline,
   * an aggregator that answers 413 (JSON) past {@link WebhookHandler#maxBodyBytes()}, and this.
   */
  public void addTo(ChannelPipeline pipeline) {
    pipeline.addLast("segment-codec", new HttpServerCodec());
    pipeline.addLast("segment-deadline", new RequestDeadline(handler));
    pipeline.addLast("segment-aggregator", new BoundedAggregator(handler));
    pipeline.addLast("segment-handler", this);
  }

  /** The handler this serves. */
  public WebhookHandler handler() {
    return handler;
  }

  /** From now on every answer closes its connection (used by a server that shuts down). */
  void closing() {
    closing = true;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      write(ctx, BAD_REQUEST, false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    WebhookRequest webhookRequest =
        new WebhookRequest(
            request.method().name(),
            new QueryStringDecoder(request.uri()).path(),
            request.headers()::get,
            new ByteBufInputStream(request.content()));
    // The body is read inside handle(), before SimpleChannelInboundHandler releases it.
    CompletableFuture<WebhookResponse> answer =
        handler.handle(webhookRequest).toCompletableFuture();
    CompletableFuture<Void> previous = ctx.channel().attr(LAST_ANSWER).get();
    CompletableFuture<Void> written = new CompletableFuture<>();
    ctx.channel().attr(LAST_ANSWER).set(written);
    (previous == null ? answer : answer.thenCombine(previous, (response, done) -> response))
        .whenComplete(
            (response, error) ->
                ctx.executor()
                    .execute(
                        () -> {
                          write(
                              ctx,
                              response != null ? response : handler.storeTimedOut(),
                              keepAlive);
                          written.complete(null);
                        }));
  }

  private void write(ChannelHandlerContext ctx, WebhookResponse response, boolean keepAlive) {
    boolean keep = keepAlive && !closing;
    ctx.writeAndFlush(toNetty(response, keep))
        .addListener(keep ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
  }

  /** The Netty form of an answer, with Content-Length and the Connection header. */
  static FullHttpResponse toNetty(WebhookResponse response, boolean keepAlive) {
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.body()));
    response.headers().forEach(out.headers()::set);
    HttpUtil.setContentLength(out, response.body().length);
    out.headers()
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return out;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset by the peer or a decoder failure: nothing to answer on this connection any more.
    ctx.close();
  }
}
