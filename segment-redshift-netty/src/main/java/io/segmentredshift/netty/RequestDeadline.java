package io.segmentredshift.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.segmentredshift.webhook.WebhookHandler;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client may take, per connection, right after the HTTP codec. An idle timeout
 * alone cannot stop a body that trickles in a byte a second; this deadline can. It runs while the
 * connection waits for a request (headers included) and while a request's body arrives, and is off
 * while the handler works on an answer. When it expires during a body, the client gets the
 * handler's 408 and the connection closes; an idle connection is simply closed.
 *
 * <p>One instance per channel; every method runs on the channel's event loop.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final WebhookHandler handler;
  private final long timeoutNanos;
  private ScheduledFuture<?> timer;
  private boolean receiving;
  private int unanswered;

  RequestDeadline(WebhookHandler handler) {
    this.handler = handler;
    this.timeoutNanos = handler.requestTimeout().toNanos();
  }

  /** True when no request is being received or answered: the connection can close at once. */
  boolean idle() {
    return !receiving && unanswered <= 0;
  }

  /** Whether a request is under way: being received, or received and not answered yet. */
  boolean busy() {
    return !idle();
  }

  /** For a server that stops: a request under way is refused with 503; then the channel closes. */
  void refuse(ChannelHandlerContext ctx) {
    disarm();
    if (busy()) {
      receiving = false;
      ctx.writeAndFlush(SegmentHttpHandler.toNetty(handler.shuttingDown(), false))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      receiving = true;
      arm(ctx);
    }
    if (msg instanceof LastHttpContent) {
      receiving = false;
      unanswered++;
      // Normally the handler now works on the answer; after an early 413 nothing is owed.
      if (idle()) {
        arm(ctx);
      } else {
        disarm();
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent) {
      unanswered--;
      if (idle()) {
        arm(ctx);
      }
    }
    ctx.write(msg, promise);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (receiving) {
      receiving = false;
      ctx.writeAndFlush(SegmentHttpHandler.toNetty(handler.bodyTimedOut(), false))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (unanswered <= 0) {
      ctx.close();
    }
  }
}
