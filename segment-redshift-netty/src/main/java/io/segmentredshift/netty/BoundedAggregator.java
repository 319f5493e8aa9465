package io.segmentredshift.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.segmentredshift.webhook.WebhookHandler;

/**
 * Collects a request body up to {@link WebhookHandler#maxBodyBytes()} and answers the handler's
 * JSON 413 beyond it, as soon as the limit is known to be crossed (from {@code Content-Length} at
 * the headers, or at the first byte past the limit). It then half-closes the connection: the rest
 * of the body is read and dropped until the client closes or the request deadline does, so the
 * client is not reset before it has read the answer.
 */
final class BoundedAggregator extends HttpObjectAggregator {
  private final WebhookHandler handler;

  BoundedAggregator(WebhookHandler handler) {
    super(handler.maxBodyBytes());
    this.handler = handler;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    // The caller releases the oversized message.
    FullHttpResponse tooLarge = SegmentHttpHandler.toNetty(handler.bodyTooLarge(), false);
    ctx.writeAndFlush(tooLarge)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess() && f.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                  } else {
                    f.channel().close();
                  }
                });
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof HttpResponse r
        && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(answer);
      return SegmentHttpHandler.toNetty(handler.bodyTooLarge(), false);
    }
    return answer;
  }
}
